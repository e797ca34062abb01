/**
 * Out-of-sample probabilities for confident learning: k-fold cross-validation of the lab's linear
 * probe (src/math/linear-probe.ts). Folds are stratified and seeded: each class's examples,
 * shuffled, are dealt round-robin to the folds, so every fold sees every class it can.
 */
import { DEFAULT_L2, probeProbabilities, trainProbe } from '../../math/linear-probe';
import { mulberry32, shuffled } from '../../math/rng';

/** Fold index of each example. */
export function stratifiedFolds(labels: ArrayLike<number>, classCount: number, folds: number, seed: number): Int32Array {
  if (!(Number.isInteger(folds) && folds >= 2)) throw new Error(`folds must be an integer ≥ 2, got ${folds}`);
  if (folds > labels.length) throw new Error(`${folds} folds need at least ${folds} examples, got ${labels.length}`);
  const rand = mulberry32(seed);
  const out = new Int32Array(labels.length);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  let next = 0;
  // continue the deal across classes so small classes do not all land in fold 0
  for (const members of byClass) for (const i of shuffled(members, rand)) out[i] = next++ % folds;
  return out;
}

export interface CrossValOptions {
  folds?: number;
  seed?: number;
  l2?: number;
}

/** [n, classCount] probabilities, each row from the probe trained on the other folds. */
export function crossValProbabilities(x: Float32Array, dim: number, labels: ArrayLike<number>, classCount: number, options: CrossValOptions = {}): Float64Array {
  const n = labels.length;
  if (x.length !== n * dim) throw new Error(`embeddings hold ${x.length} numbers, expected ${n} × ${dim}`);
  const k = options.folds ?? 5;
  const fold = stratifiedFolds(labels, classCount, k, options.seed ?? 0);
  const out = new Float64Array(n * classCount);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const pick = (rows: number[]) => {
      const m = new Float32Array(rows.length * dim);
      rows.forEach((r, j) => m.set(x.subarray(r * dim, (r + 1) * dim), j * dim));
      return m;
    };
    const { head } = trainProbe({ x: pick(train), dim, labels: Int32Array.from(train, (i) => labels[i]) }, { classCount, l2: options.l2 ?? DEFAULT_L2 });
    const p = probeProbabilities(head, pick(test));
    test.forEach((i, j) => out.set(p.subarray(j * classCount, (j + 1) * classCount), i * classCount));
  }
  return out;
}
