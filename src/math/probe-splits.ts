/** Splits and few-shot subsets for the linear probe, all seeded and deterministic. */
import { accuracy, probePredict, trainProbe, type LinearHead, type ProbeData, type TrainOptions } from './linear-probe';
import { mulberry32, shuffled } from './rng';

/** Indices grouped by class, in input order. */
export function indicesByClass(labels: ArrayLike<number>, classCount: number): number[][] {
  const out: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labels.length; i++) out[labels[i]]?.push(i);
  return out;
}

/**
 * Stratified hold-out split: about `fraction` of each class goes to `heldOut`, but every class
 * keeps at least one training example. Both lists sorted ascending.
 */
export function stratifiedSplit(labels: ArrayLike<number>, fraction: number, seed: number, classCount = maxLabel(labels) + 1): { train: number[]; heldOut: number[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`held-out fraction must be in [0, 1), got ${fraction}`);
  const rand = mulberry32(seed);
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const members of indicesByClass(labels, classCount)) {
    const order = shuffled(members, rand);
    const k = Math.min(Math.round(order.length * fraction), order.length - 1);
    heldOut.push(...order.slice(0, Math.max(0, k)));
    train.push(...order.slice(Math.max(0, k)));
  }
  return { train: train.sort((a, b) => a - b), heldOut: heldOut.sort((a, b) => a - b) };
}

export type Shots = number | 'all';
export const SHOT_LADDER: readonly Shots[] = [1, 2, 4, 8, 16, 'all'];

/**
 * Up to `shots` examples per class from `pool`. With one seed the subsets are nested
 * (the 1-shot set is inside the 2-shot set, …), so a curve over shots changes one thing at a time.
 */
export function fewShotIndices(labels: ArrayLike<number>, pool: readonly number[], shots: Shots, seed: number): number[] {
  if (shots !== 'all' && !(Number.isInteger(shots) && shots >= 1)) throw new Error(`shots must be a positive integer or "all", got ${String(shots)}`);
  const rand = mulberry32(seed);
  const byClass = new Map<number, number[]>();
  for (const i of pool) {
    const list = byClass.get(labels[i]) ?? [];
    list.push(i);
    byClass.set(labels[i], list);
  }
  const out: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const order = shuffled(byClass.get(c) ?? [], rand);
    out.push(...(shots === 'all' ? order : order.slice(0, shots)));
  }
  return out.sort((a, b) => a - b);
}

/** The rows `indices` of data as a new ProbeData. */
export function subset(data: ProbeData, indices: readonly number[]): ProbeData {
  const d = data.dim;
  const x = new Float32Array(indices.length * d);
  const labels = new Int32Array(indices.length);
  indices.forEach((i, r) => {
    x.set(data.x.subarray(i * d, (i + 1) * d), r * d);
    labels[r] = data.labels[i];
  });
  return { x, dim: d, labels };
}

export interface ShotsPoint {
  shots: Shots;
  /** examples actually used (classes may have fewer than `shots`) */
  trainCount: number;
  accuracy: number;
  head: LinearHead;
}

/** Accuracy on `heldOut` of probes trained on 1, 2, 4, … shots per class drawn from `train`. */
export function shotsCurve(data: ProbeData, train: readonly number[], heldOut: readonly number[], options: TrainOptions & { seed?: number; ladder?: readonly Shots[] } = {}): ShotsPoint[] {
  const classCount = options.classCount ?? maxLabel(data.labels) + 1;
  const test = subset(data, heldOut);
  const points: ShotsPoint[] = [];
  for (const shots of options.ladder ?? SHOT_LADDER) {
    const idx = fewShotIndices(data.labels, train, shots, options.seed ?? 0);
    const { head } = trainProbe(subset(data, idx), { ...options, classCount });
    points.push({ shots, trainCount: idx.length, accuracy: accuracy(probePredict(head, test.x), test.labels), head });
  }
  return points;
}

/** Chooses l2 on a held-out split (best accuracy; ties go to the stronger penalty), warm-starting along the grid. */
export function chooseL2(train: ProbeData, validation: ProbeData, grid: readonly number[] = [1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5], options: TrainOptions = {}): { l2: number; accuracy: number; curve: { l2: number; accuracy: number }[] } {
  const classCount = options.classCount ?? Math.max(maxLabel(train.labels), maxLabel(validation.labels)) + 1;
  const sorted = [...grid].sort((a, b) => b - a);
  let init: LinearHead | undefined;
  const curve: { l2: number; accuracy: number }[] = [];
  for (const l2 of sorted) {
    const { head } = trainProbe(train, { ...options, classCount, l2, init });
    init = head;
    curve.push({ l2, accuracy: accuracy(probePredict(head, validation.x), validation.labels) });
  }
  const best = curve.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  return { l2: best.l2, accuracy: best.accuracy, curve };
}

function maxLabel(labels: ArrayLike<number>): number {
  let m = -1;
  for (let i = 0; i < labels.length; i++) m = Math.max(m, labels[i]);
  return m;
}
