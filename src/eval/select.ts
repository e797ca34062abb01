/** Which images of a split a run uses: all, the first N in the archive's order, or a seeded random N per class. */
import { mulberry32, shuffled } from '../math/rng';

export type Selection = { kind: 'all' } | { kind: 'limit'; n: number } | { kind: 'sample'; perClass: number; seed: number };

export function selectIndices(labels: ArrayLike<number>, sel: Selection): number[] {
  if (sel.kind === 'all') return Array.from({ length: labels.length }, (_, i) => i);
  if (sel.kind === 'limit') return Array.from({ length: Math.min(sel.n, labels.length) }, (_, i) => i);
  const rand = mulberry32(sel.seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = byClass.get(labels[i]) ?? [];
    l.push(i);
    byClass.set(labels[i], l);
  }
  const out: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) out.push(...shuffled(byClass.get(c)!, rand).slice(0, sel.perClass));
  return out.sort((a, b) => a - b);
}

export function describeSelection(sel: Selection): string {
  if (sel.kind === 'all') return 'all images';
  if (sel.kind === 'limit') return `first ${sel.n}`;
  return `${sel.perClass} per class, seed ${sel.seed}`;
}
