/** What the shift lab's raw predictions say: mean accuracy over shifts, and which images flip first. */
import type { Method, ShiftResult } from '../../workers/explore-protocol';

/** Accuracy per severity (index 0 = clean) averaged over the chosen shifts; NaN without labels. */
export function meanAccuracy(r: ShiftResult, method: Method, shift: string | 'mean'): number[] {
  const rows = shift === 'mean' ? r.shifts.map((s) => r.accuracy[method][s]) : [r.accuracy[method][shift]];
  const ok = rows.filter(Boolean);
  return r.severities.map((_, v) => (ok.length ? ok.reduce((a, row) => a + row[v], 0) / ok.length : NaN));
}

export interface FirstChange {
  id: string;
  shift: string;
  severity: number;
  from: number;
  to: number;
}

/**
 * Per image, the mildest shift that changes its prediction from the clean one (lowest severity;
 * ties: the shift listed first). Images that never change are left out. Sorted mildest first.
 */
export function firstChanges(r: ShiftResult, method: Method): FirstChange[] {
  const out: FirstChange[] = [];
  const byShift = r.predictions[method];
  const ids = new Set(r.shifts.flatMap((s) => Object.keys(byShift[s] ?? {})));
  for (const id of ids) {
    let best: FirstChange | null = null;
    for (const s of r.shifts) {
      const p = byShift[s]?.[id];
      if (!p) continue;
      const v = p.findIndex((c, i) => i > 0 && c !== p[0]);
      if (v > 0 && (!best || r.severities[v] < best.severity)) best = { id, shift: s, severity: r.severities[v], from: p[0], to: p[v] };
    }
    if (best) out.push(best);
  }
  return out.sort((a, b) => a.severity - b.severity || a.id.localeCompare(b.id));
}
