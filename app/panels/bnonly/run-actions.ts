import type { ExperimentRecord } from '../../workers/bnonly-protocol';

/**
 * Whether a run row offers "Resume". The active run resumes only from a pause. Another run resumes when no run
 * is training and it did not finish: an interrupted run always can, even at its last step, since a crash can land
 * between the last step and the final evaluation that marks it done (it resumes from its checkpoint and finishes).
 */
export function canResume(r: Pick<ExperimentRecord, 'id' | 'status' | 'step' | 'config'>, activeId: string | null): boolean {
  if (activeId === r.id) return r.status === 'paused';
  if (activeId) return false;
  if (r.status === 'interrupted') return true;
  return ['stopped', 'error', 'paused'].includes(r.status) && r.step < r.config.steps;
}
