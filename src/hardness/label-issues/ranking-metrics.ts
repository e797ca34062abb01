/**
 * How well a score (higher = more likely an error) ranks the true errors: precision–recall curve,
 * average precision (as scikit-learn's average_precision_score: Σ_n (R_n − R_{n−1}) P_n over
 * distinct score thresholds, tied scores entering together), precision at k = the number of true
 * errors, and recall after reviewing the top 1% / 5% of the set. Ties at a cut-off go by index.
 */
import { spearman } from '../rank';
import { topIndices } from './error-scores';

export interface PrPoint {
  recall: number;
  precision: number;
}

export interface RankingMetrics {
  ap: number;
  precision_at_k: number;
  recall_at_1pct: number;
  recall_at_5pct: number;
}

function truthMask(n: number, errors: readonly number[]): Uint8Array {
  const m = new Uint8Array(n);
  for (const i of errors) m[i] = 1;
  return m;
}

/** PR curve at each distinct threshold, from the highest score down (recall ascending). */
export function prCurve(scores: ArrayLike<number>, errors: readonly number[]): PrPoint[] {
  const n = scores.length;
  const truth = truthMask(n, errors);
  const order = topIndices(scores, n);
  const total = errors.length;
  const out: PrPoint[] = [];
  let tp = 0;
  for (let r = 0; r < n; r++) {
    tp += truth[order[r]];
    if (r + 1 < n && scores[order[r + 1]] === scores[order[r]]) continue;
    out.push({ recall: total ? tp / total : 0, precision: tp / (r + 1) });
  }
  return out;
}

export function averagePrecision(scores: ArrayLike<number>, errors: readonly number[]): number {
  if (!errors.length) return NaN;
  let ap = 0;
  let prevRecall = 0;
  for (const p of prCurve(scores, errors)) {
    ap += (p.recall - prevRecall) * p.precision;
    prevRecall = p.recall;
  }
  return ap;
}

/** Share of true errors among the top `k` scores. */
export function precisionAt(scores: ArrayLike<number>, errors: readonly number[], k: number): number {
  if (k <= 0) return NaN;
  const truth = truthMask(scores.length, errors);
  return topIndices(scores, k).reduce((a, i) => a + truth[i], 0) / k;
}

/** Share of the true errors found after reviewing the top ceil(fraction × n). */
export function recallAt(scores: ArrayLike<number>, errors: readonly number[], fraction: number): number {
  if (!errors.length) return NaN;
  const truth = truthMask(scores.length, errors);
  const k = Math.ceil(fraction * scores.length);
  return topIndices(scores, k).reduce((a, i) => a + truth[i], 0) / errors.length;
}

export function rankingMetrics(scores: ArrayLike<number>, errors: readonly number[]): RankingMetrics {
  return {
    ap: averagePrecision(scores, errors),
    precision_at_k: precisionAt(scores, errors, errors.length),
    recall_at_1pct: recallAt(scores, errors, 0.01),
    recall_at_5pct: recallAt(scores, errors, 0.05),
  };
}

/** Share of the top-k of a that is also in the top-k of b. */
export function topKOverlap(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  if (k <= 0) return NaN;
  const top = new Set(topIndices(b, k));
  return topIndices(a, k).filter((i) => top.has(i)).length / k;
}

export interface Agreement {
  methods: string[];
  /** [i][j]: Spearman correlation of method i's and method j's scores */
  spearman: number[][];
  /** [i][j]: overlap of their top-k */
  overlap: number[][];
  k: number;
}

export function agreement(scores: Record<string, ArrayLike<number>>, k: number): Agreement {
  const methods = Object.keys(scores);
  return {
    methods,
    k,
    spearman: methods.map((a) => methods.map((b) => (a === b ? 1 : spearman(scores[a], scores[b])))),
    overlap: methods.map((a) => methods.map((b) => topKOverlap(scores[a], scores[b], k))),
  };
}

/** mean and sample standard deviation (NaN for fewer than 2 values) */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, std };
}
