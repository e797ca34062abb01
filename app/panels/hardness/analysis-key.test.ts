import { describe, expect, it } from 'vitest';
import { analysisKey, currentAnalysis } from './analysis-key';

describe('currentAnalysis', () => {
  const analysis = { classes: 3 };
  const done = { analysis, analysisKey: analysisKey('zeroshot', 'clip-results-3'), status: 'done' };

  it('gives the analysis for the dataset and source it was computed for', () => {
    expect(currentAnalysis(done, 'zeroshot', 'clip-results-3')).toBe(analysis);
  });

  it('gives nothing for another dataset (the demo opened over CLIP results) or another source', () => {
    expect(currentAnalysis(done, 'zeroshot', 'demo-500')).toBeNull();
    expect(currentAnalysis(done, 'probe', 'clip-results-3')).toBeNull();
  });

  it('gives nothing while the next analysis runs or after one failed', () => {
    expect(currentAnalysis({ ...done, status: 'running' }, 'zeroshot', 'clip-results-3')).toBeNull();
    expect(currentAnalysis({ ...done, status: 'error', analysis: null }, 'zeroshot', 'clip-results-3')).toBeNull();
  });
});
