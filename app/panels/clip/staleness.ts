/**
 * Results carry what made them (model, backend, dtype, classes, templates); anything that differs
 * now makes them stale: the panel says what changed and offers a re-score. Pure, for unit tests.
 */
import type { ResultSet } from '../../stores/classify';

export type StaleReason = 'model' | 'backend' | 'dtype' | 'classes' | 'templates';

export interface Current {
  /** the loaded model, or null when none is */
  model: { label: string; device: string; dtype: string } | null;
  classes: readonly string[];
  templates: readonly string[];
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function staleReasons(r: Pick<ResultSet, 'model' | 'device' | 'dtype' | 'classes' | 'templates'>, now: Current): StaleReason[] {
  const out: StaleReason[] = [];
  if (now.model) {
    if (now.model.label !== r.model) out.push('model');
    if (now.model.device !== r.device) out.push('backend');
    if (now.model.dtype !== r.dtype) out.push('dtype');
  }
  if (!same(now.classes, r.classes)) out.push('classes');
  if (!same(now.templates, r.templates)) out.push('templates');
  return out;
}
