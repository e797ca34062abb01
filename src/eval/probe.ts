/**
 * The paper's linear probe on frozen features: L-BFGS logistic regression (src/math/linear-probe.ts),
 * C chosen on a held-out part of the train split, then refit on the whole train split with that C
 * and evaluated on test; and a shots curve (1/2/4/8/16/all per class) at the same C.
 * C is scikit-learn's: the penalty is l2 = 1 / (C · n) for n training examples.
 */
import { accuracy, probePredict, trainProbe, type ProbeData } from '../math/linear-probe';
import { chooseL2, fewShotIndices, SHOT_LADDER, stratifiedSplit, subset, type Shots } from '../math/probe-splits';

export interface ProbeReport {
  C: number;
  /** accuracy on the held-out part of train for each C tried */
  C_curve: { C: number; heldout_top1: number }[];
  heldout_top1: number;
  train_n: number;
  top1: number;
  shots: { shots: Shots; n: number; top1: number }[];
}

/** C from 10^-2 to 10^4 by half decades: CLIP features (unit norm) land inside it. */
export const C_GRID = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4].map((e) => 10 ** e);

export function linearProbe(train: ProbeData, test: ProbeData, classCount: number, opts: { seed?: number; heldOut?: number; ladder?: readonly Shots[]; grid?: readonly number[] } = {}): ProbeReport {
  const seed = opts.seed ?? 0;
  const { train: fit, heldOut } = stratifiedSplit(train.labels, opts.heldOut ?? 0.2, seed, classCount);
  const fitData = subset(train, fit);
  const grid = opts.grid ?? C_GRID;
  let C: number;
  let C_curve: ProbeReport['C_curve'];
  let heldTop1: number;
  if (heldOut.length > 0) {
    const chosen = chooseL2(fitData, subset(train, heldOut), grid.map((c) => 1 / (c * fit.length)), { classCount });
    C = 1 / (chosen.l2 * fit.length);
    heldTop1 = chosen.accuracy;
    C_curve = chosen.curve.map((p) => ({ C: 1 / (p.l2 * fit.length), heldout_top1: p.accuracy }));
  } else {
    // Too few images to hold any out: scikit-learn's default C = 1, said as such (no curve).
    C = 1;
    heldTop1 = NaN;
    C_curve = [];
  }
  const n = train.labels.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const fitAt = (idx: number[]) => trainProbe(subset(train, idx), { classCount, l2: 1 / (C * idx.length) }).head;
  const top1 = accuracy(probePredict(fitAt(all), test.x), test.labels);
  const shots = (opts.ladder ?? SHOT_LADDER).map((s) => {
    const idx = fewShotIndices(train.labels, all, s, seed);
    return { shots: s, n: idx.length, top1: accuracy(probePredict(fitAt(idx), test.x), test.labels) };
  });
  return { C, C_curve, heldout_top1: heldTop1, train_n: n, top1, shots };
}
