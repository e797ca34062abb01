import { describe, expect, it } from 'vitest';
import { clScores, scoreMethods, scoreOf, topIndices } from './error-scores';
import { findLabelIssues, numLabelIssues } from './confident-learning';

// two rows, three classes: row 0 labelled 0 (p_y 0.2, best other 0.7), row 1 labelled 1 (p_y 0.6)
const t = { probs: [0.2, 0.7, 0.1, 0.3, 0.6, 0.1], classCount: 3, labels: [0, 1] };

describe('label-error scores, higher = more likely an error', () => {
  it('match their definitions on worked rows', () => {
    expect(Array.from(scoreOf('confidence', t))).toEqual([-0.2, -0.6]);
    const margin = scoreOf('margin', t);
    expect(margin[0]).toBeCloseTo(0.5, 12); // −(0.2 − 0.7)
    expect(margin[1]).toBeCloseTo(-0.3, 12); // −(0.6 − 0.3)
    const loss = scoreOf('loss', t);
    expect(loss[0]).toBeCloseTo(Math.log(5), 12);
    expect(loss[1]).toBeCloseTo(-Math.log(0.6), 12);
    const h = scoreOf('entropy', t);
    expect(h[0]).toBeCloseTo(-(0.2 * Math.log(0.2) + 0.7 * Math.log(0.7) + 0.1 * Math.log(0.1)), 12);
  });
  it('a zero probability gives a finite loss', () => {
    expect(Number.isFinite(scoreOf('loss', { probs: [0, 1], classCount: 2, labels: [0] })[0])).toBe(true);
  });
  it('confident learning as a score puts its issues first, in their order', () => {
    const probs = [0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.8, 0.2, 0.1, 0.9, 0.6, 0.4];
    const tt = { probs, classCount: 2, labels: [0, 0, 0, 1, 1, 1] };
    const issues = findLabelIssues(tt, { rankBy: 'normalized_margin' });
    expect(issues.length).toBeGreaterThan(0);
    const s = clScores(tt, issues);
    expect(topIndices(s, issues.length)).toEqual(issues);
  });
  it('the single scores flag their top-m, m = num_label_issues', () => {
    const probs = [0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.8, 0.2, 0.1, 0.9, 0.6, 0.4];
    const tt = { probs, classCount: 2, labels: [0, 0, 0, 1, 1, 1] };
    const r = scoreMethods(tt, ['margin', 'loss', 'cl'], null);
    expect(r.margin.issues.length).toBe(numLabelIssues(tt));
    expect(r.loss.issues).toEqual(topIndices(r.loss.scores, numLabelIssues(tt)));
    expect(() => scoreMethods(tt, ['avh'], null)).toThrow(/AVH needs/);
  });
});
