/**
 * Seeded label noise to measure label-error finders against a known answer.
 * uniform: exactly round(rate × n) examples, chosen at random, each moved to a uniformly random other class.
 * class-conditional: the same count, each moved to `confusion[its class]` (a chosen confusion, e.g.
 * shirt → T-shirt); classes mapped to themselves (or -1) are never picked.
 */
import { mulberry32, shuffled } from '../../math/rng';

export type NoiseSpec = { kind: 'uniform'; rate: number } | { kind: 'class-conditional'; rate: number; confusion: readonly number[] };

export interface Injected {
  labels: Int32Array;
  /** indices whose label was changed, ascending */
  flipped: number[];
}

export function injectNoise(labels: ArrayLike<number>, classCount: number, spec: NoiseSpec, seed: number): Injected {
  if (!(spec.rate >= 0 && spec.rate <= 1)) throw new Error(`noise rate must be in [0, 1], got ${spec.rate}`);
  if (classCount < 2) throw new Error('noise needs at least 2 classes');
  const rand = mulberry32(seed);
  const out = Int32Array.from(labels);
  const n = out.length;
  let pool = Array.from({ length: n }, (_, i) => i);
  if (spec.kind === 'class-conditional') {
    if (spec.confusion.length !== classCount) throw new Error(`confusion has ${spec.confusion.length} entries, expected ${classCount}`);
    pool = pool.filter((i) => spec.confusion[out[i]] >= 0 && spec.confusion[out[i]] !== out[i]);
  }
  const count = Math.min(pool.length, Math.round(spec.rate * n));
  const flipped = shuffled(pool, rand).slice(0, count).sort((a, b) => a - b);
  for (const i of flipped) {
    if (spec.kind === 'uniform') {
      // one of the classCount − 1 other classes, uniformly
      const r = Math.floor(rand() * (classCount - 1));
      out[i] = r >= out[i] ? r + 1 : r;
    } else out[i] = spec.confusion[out[i]];
  }
  return { labels: out, flipped };
}
