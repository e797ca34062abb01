import { describe, expect, it } from 'vitest';
import { canResume } from './run-actions';
import type { ExperimentStatus } from '../../workers/bnonly-protocol';

const run = (status: ExperimentStatus, step: number, id = 'a') => ({ id, status, step, config: { steps: 40 } as never });

describe('canResume', () => {
  it('an interrupted run resumes even when the crash came after its last step (before the final evaluation)', () => {
    expect(canResume(run('interrupted', 40), null)).toBe(true);
    expect(canResume(run('interrupted', 9), null)).toBe(true);
  });
  it('stopped, failed or paused runs resume only when steps are left', () => {
    for (const s of ['stopped', 'error', 'paused'] as const) {
      expect(canResume(run(s, 12), null)).toBe(true);
      expect(canResume(run(s, 40), null)).toBe(false);
    }
  });
  it('a finished or still-training run does not', () => {
    expect(canResume(run('done', 40), null)).toBe(false);
    expect(canResume(run('running', 12, 'a'), 'a')).toBe(false);
  });
  it('while another run trains, no run resumes; the active run resumes only from a pause', () => {
    expect(canResume(run('interrupted', 12, 'a'), 'b')).toBe(false);
    expect(canResume(run('paused', 12, 'a'), 'a')).toBe(true);
  });
});
