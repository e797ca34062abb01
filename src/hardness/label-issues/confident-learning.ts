/**
 * Confident learning (Northcutt, Jiang & Chuang, JAIR 2021), written to match cleanlab 2.x
 * (cleanlab/count.py, cleanlab/filter.py, cleanlab/rank.py, checked against commit 7506257 of
 * github.com/cleanlab/cleanlab) step by step:
 *   thresholds t_j = mean of p_j over the examples labelled j   (get_confident_thresholds)
 *   confident joint C[given][guess]                               (compute_confident_joint)
 *   calibrated to the label counts, rows rounded to their totals  (calibrate_confident_joint)
 *   noise matrix P(given = i | true = j) = C[i][j] / Σ_i C[i][j]  (estimate_latent)
 *   issues by prune_by_noise_rate, prune_by_class or both         (find_label_issues)
 *   ranked by self-confidence or normalised margin                (order_label_issues)
 * Probabilities are a flat row-major [n, classCount] array and must be out-of-sample.
 */

/** cleanlab's FLOATING_POINT_COMPARISON and CONFIDENT_THRESHOLDS_LOWER_BOUND */
const EPS = 1e-6;
const THRESHOLD_FLOOR = 2 * EPS;
/** threshold of a class nobody is labelled with: no probability reaches it (cleanlab's BIG_VALUE) */
const ABSENT_CLASS_THRESHOLD = 2;

export type Matrix = number[][];

export interface ProbTable {
  /** [n, classCount] row-major */
  probs: ArrayLike<number>;
  classCount: number;
  labels: ArrayLike<number>;
}

const row = (t: ProbTable, i: number) => (k: number) => t.probs[i * t.classCount + k];

export function labelCounts(labels: ArrayLike<number>, classCount: number): number[] {
  const out = new Array<number>(classCount).fill(0);
  for (let i = 0; i < labels.length; i++) out[labels[i]]++;
  return out;
}

/** Per-class threshold: the mean probability of class j over the examples labelled j. */
export function confidentThresholds(t: ProbTable): number[] {
  const C = t.classCount;
  const sum = new Array<number>(C).fill(0);
  const counts = labelCounts(t.labels, C);
  for (let i = 0; i < t.labels.length; i++) sum[t.labels[i]] += t.probs[i * C + t.labels[i]];
  return sum.map((s, k) => Math.max(THRESHOLD_FLOOR, counts[k] ? s / counts[k] : ABSENT_CLASS_THRESHOLD));
}

export interface ConfidentJoint {
  /** C[given][true guess], counts */
  joint: Matrix;
  thresholds: number[];
  /** per example: its confidently guessed true class, or -1 when no class reaches its threshold */
  guess: Int32Array;
  /** examples whose confident guess differs from the given label (cleanlab's cl_error_indices) */
  offDiagonal: number[];
}

/**
 * The confident joint. An example counts when at least one class has p_k ≥ t_k − 1e-6; its guess is
 * that class, or the argmax of all probabilities when several reach their threshold (as cleanlab).
 * Every diagonal entry is at least 1; calibrated unless `calibrate` is false.
 */
export function confidentJoint(t: ProbTable, options: { calibrate?: boolean; thresholds?: number[] } = {}): ConfidentJoint {
  const C = t.classCount;
  const n = t.labels.length;
  const thresholds = options.thresholds ?? confidentThresholds(t);
  const joint: Matrix = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  const guess = new Int32Array(n).fill(-1);
  const offDiagonal: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = row(t, i);
    let confident = 0;
    let firstConfident = -1;
    let argmax = 0;
    for (let k = 0; k < C; k++) {
      if (p(k) >= thresholds[k] - EPS) {
        confident++;
        if (firstConfident < 0) firstConfident = k;
      }
      if (p(k) > p(argmax)) argmax = k;
    }
    if (!confident) continue;
    const g = confident > 1 ? argmax : firstConfident;
    guess[i] = g;
    joint[t.labels[i]][g]++;
    if (g !== t.labels[i]) offDiagonal.push(i);
  }
  for (let k = 0; k < C; k++) joint[k][k] = Math.max(1, joint[k][k]);
  return { joint: options.calibrate === false ? joint : calibrateJoint(joint, t.labels), thresholds, guess, offDiagonal };
}

/** Rows scaled to the label counts, the whole to n, each row rounded preserving its total. */
export function calibrateJoint(joint: Matrix, labels: ArrayLike<number>): Matrix {
  const C = joint.length;
  const counts = labelCounts(labels, C);
  const scaled = joint.map((r, i) => {
    const s = Math.max(1e-100, r.reduce((a, b) => a + b, 0));
    return r.map((v) => (v / s) * counts[i]);
  });
  const total = Math.max(1e-100, scaled.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0));
  const n = counts.reduce((a, b) => a + b, 0);
  return scaled.map((r) => roundPreservingSum(r.map((v) => (v / total) * n)));
}

/**
 * cleanlab's round_preserving_sum: round each value, then move the largest (or most negative)
 * rounding residuals by one until the rounded sum equals the rounded total. Ties go as numpy's
 * (stable for short rows) argsort, reversed when adding: the higher index first.
 */
export function roundPreservingSum(values: readonly number[]): number[] {
  const ints = values.map(roundHalfEven);
  const target = roundHalfEven(values.reduce((a, b) => a + b, 0));
  let sum = ints.reduce((a, b) => a + b, 0);
  while (Math.abs(sum - target) > EPS) {
    const diff = Math.round(target - sum);
    const inc = diff < 0 ? -1 : 1;
    const changes = Math.min(Math.abs(diff), values.length);
    const ascending = values.map((_, i) => i).sort((a, b) => values[a] - ints[a] - (values[b] - ints[b]));
    const order = inc === 1 ? ascending.reverse() : ascending;
    for (const i of order.slice(0, changes)) ints[i] += inc;
    sum = ints.reduce((a, b) => a + b, 0);
  }
  return ints;
}

/** numpy's round: halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** P(given = i | true = j): the joint divided by its column sums (estimate_latent with clip_noise_rates). */
export function noiseMatrix(joint: Matrix): Matrix {
  const colSum = (m: Matrix, j: number) => Math.max(1e-100, m.reduce((a, r) => a + r[j], 0));
  const nm = joint.map((r) => r.map((v, j) => v / colSum(joint, j)));
  // clip_noise_rates: off-diagonal rates into [0, 0.9999], then columns renormalised
  const clipped = nm.map((r, i) => r.map((v, j) => (i === j ? v : Math.min(0.9999, Math.max(0, v)))));
  return clipped.map((r) => r.map((v, j) => v / colSum(clipped, j)));
}

/**
 * _keep_at_least_n_per_class on prune = joint transposed (prune[true][given]), frac_noise = 1:
 * raise each diagonal to n, take the raise evenly off that column's non-zero noise counts, and
 * truncate to integers (cleanlab's `astype(int)` in _reduce_prune_counts).
 */
export function pruneCounts(joint: Matrix, minPerClass = 1): Matrix {
  const C = joint.length;
  const prune = joint.map((_, i) => joint.map((r) => r[i]));
  const out: Matrix = prune.map((r) => r.slice());
  for (let k = 0; k < C; k++) {
    const diag = prune[k][k];
    const raised = Math.max(diag, minPerClass);
    let nonZero = 0;
    for (let j = 0; j < C; j++) if (prune[j][k] !== 0) nonZero++;
    const per = (raised - diag) / Math.max(nonZero - 1, 1);
    for (let j = 0; j < C; j++) out[j][k] = j === k ? raised : Math.max(0, prune[j][k] - per);
  }
  return out.map((r) => r.map((v) => Math.trunc(v)));
}

export type FilterBy = 'prune_by_noise_rate' | 'prune_by_class' | 'both';
export type RankBy = 'self_confidence' | 'normalized_margin';

export interface FindOptions {
  filterBy?: FilterBy;
  rankBy?: RankBy;
  minPerClass?: number;
  /** a confident joint already computed (calibrated) */
  joint?: Matrix;
}

/** Stable order of `idx` by `key` ascending. */
const sortBy = (idx: number[], key: (i: number) => number) => idx.slice().sort((a, b) => key(a) - key(b) || a - b);

/**
 * find_label_issues: the examples confident learning flags, ranked most likely error first.
 * prune_by_noise_rate: among the examples labelled k, for each j ≠ k the prune[j][k] with the largest
 * p_j − p_k; prune_by_class: the (count_k − prune[k][k]) with the smallest p_k; both: flagged by both.
 * Examples whose given label is (within 1e-6) the model's prediction are never flagged.
 */
export function findLabelIssues(t: ProbTable, options: FindOptions = {}): number[] {
  const C = t.classCount;
  const n = t.labels.length;
  const filterBy = options.filterBy ?? 'prune_by_noise_rate';
  const minPerClass = options.minPerClass ?? 1;
  const joint = options.joint ?? confidentJoint(t).joint;
  const prune = pruneCounts(joint, minPerClass);
  const byClass: number[][] = Array.from({ length: C }, () => []);
  for (let i = 0; i < n; i++) byClass[t.labels[i]].push(i);
  const p = (i: number, k: number) => t.probs[i * C + k];
  const byNoise = new Uint8Array(n);
  const byClassMask = new Uint8Array(n);
  for (let k = 0; k < C; k++) {
    const members = byClass[k];
    if (members.length <= minPerClass) continue;
    for (let j = 0; j < C; j++) {
      const m = prune[j][k];
      if (j === k || m <= 0) continue;
      for (const i of sortBy(members, (i) => -(p(i, j) - p(i, k))).slice(0, m)) byNoise[i] = 1;
    }
    const drop = members.length - prune[k][k];
    if (drop >= 1) for (const i of sortBy(members, (i) => p(i, k)).slice(0, drop)) byClassMask[i] = 1;
  }
  const flagged: number[] = [];
  for (let i = 0; i < n; i++) {
    const hit = filterBy === 'prune_by_noise_rate' ? byNoise[i] : filterBy === 'prune_by_class' ? byClassMask[i] : byNoise[i] & byClassMask[i];
    if (hit && !predictedIsGiven(t, i)) flagged.push(i);
  }
  const quality = labelQuality(t, options.rankBy ?? 'self_confidence');
  return sortBy(flagged, (i) => quality[i]);
}

/** cleanlab's _reduce_issues: argmax after adding 1e-6 to the given label's probability. */
function predictedIsGiven(t: ProbTable, i: number): boolean {
  const C = t.classCount;
  const y = t.labels[i];
  let best = 0;
  let bestP = -Infinity;
  for (let k = 0; k < C; k++) {
    const v = t.probs[i * C + k] + (k === y ? EPS : 0);
    if (v > bestP) {
      bestP = v;
      best = k;
    }
  }
  return best === y;
}

/** get_label_quality_scores: p_y, or (p_y − max_{k≠y} p_k + 1) / 2. Higher = label more likely right. */
export function labelQuality(t: ProbTable, method: RankBy): Float64Array {
  const C = t.classCount;
  const n = t.labels.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = t.labels[i];
    const py = t.probs[i * C + y];
    if (method === 'self_confidence') {
      out[i] = py;
      continue;
    }
    let other = -Infinity;
    for (let k = 0; k < C; k++) if (k !== y) other = Math.max(other, t.probs[i * C + k]);
    out[i] = (py - other + 1) / 2;
  }
  return out;
}

/**
 * num_label_issues with estimation_method 'off_diagonal' (cleanlab's default): the uncalibrated
 * confident joint's off-diagonal examples, less those the model predicts as labelled.
 */
export function numLabelIssues(t: ProbTable): number {
  const { offDiagonal } = confidentJoint(t, { calibrate: false });
  return offDiagonal.filter((i) => !predictedIsGiven(t, i)).length;
}
