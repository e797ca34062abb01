/**
 * The rows of an index drawn on the map: all of them up to `max`, else `max` rows drawn at random
 * (seeded, so the same index gives the same map), plus the rows that must show (search hits), ascending.
 */
import { mulberry32 } from '../math/rng';

export function sampleRows(total: number, max: number, include: readonly number[] = [], seed = 0): number[] {
  const keep = new Set(include.filter((r) => Number.isInteger(r) && r >= 0 && r < total));
  if (total <= max) return Array.from({ length: total }, (_, i) => i);
  const rand = mulberry32(seed);
  // Floyd's algorithm: max distinct rows out of total, without an array of all rows (an index may hold millions).
  const picked = new Set<number>();
  for (let j = total - max; j < total; j++) {
    const t = Math.floor(rand() * (j + 1));
    picked.add(picked.has(t) ? j : t);
  }
  for (const r of keep) picked.add(r);
  return [...picked].sort((a, b) => a - b);
}
