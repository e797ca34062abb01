/**
 * Linear probe on embeddings: L2-regularised multinomial logistic regression, as in the CLIP paper
 * (scikit-learn's LogisticRegression with L-BFGS). Objective, with W the C×d weights and b the bias:
 *   L(W, b) = (1/n) Σ_i [logsumexp(W x_i + b) - (W x_i + b)_{y_i}] + (l2 / 2) ||W||²
 * (the bias is not penalised, as in scikit-learn; l2 = 1 / (C·n) in scikit-learn's terms).
 */
import { lbfgs, type LbfgsOptions, type Objective } from './lbfgs';
import { KernelArena, padDim, simdKernels, type Kernels } from './simd-kernels';

/** n rows of dim features, row-major, with a 0-based class index per row. */
export interface ProbeData {
  x: Float32Array;
  dim: number;
  labels: ArrayLike<number>;
}

export interface LinearHead {
  dim: number;
  classCount: number;
  /** classCount × dim, row-major */
  weights: Float64Array;
  bias: Float64Array;
}

export interface TrainOptions extends LbfgsOptions {
  l2?: number;
  classCount?: number;
  /** warm start (e.g. the previous value in an l2 sweep) */
  init?: LinearHead;
  /** override the automatic feature scale s (for tests; the solution does not depend on it) */
  featureScale?: number;
  /** false forces the plain-JS products (the fallback where WebAssembly SIMD is missing) */
  simd?: boolean;
}

export interface TrainResult {
  head: LinearHead;
  loss: number;
  iterations: number;
  evaluations: number;
  gradientMax: number;
  converged: boolean;
}

export const DEFAULT_L2 = 1e-3;

/** The objective and its gradient (written into grad) at params = [W | b]: plain JS, the reference. */
export function probeObjective(data: ProbeData, classCount: number, l2: number, params: Float64Array, grad: Float64Array): number {
  const { x, dim: d, labels } = data;
  const n = labels.length;
  const C = classCount;
  const bOff = C * d;
  const z = new Float64Array(C);
  grad.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      const wo = c * d;
      let s0 = 0;
      let s1 = 0;
      let j = 0;
      for (; j + 1 < d; j += 2) {
        s0 += params[wo + j] * x[xo + j];
        s1 += params[wo + j + 1] * x[xo + j + 1];
      }
      if (j < d) s0 += params[wo + j] * x[xo + j];
      const v = s0 + s1 + params[bOff + c];
      z[c] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let c = 0; c < C; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    const y = labels[i];
    loss += Math.log(sum) - Math.log(z[y]);
    for (let c = 0; c < C; c++) {
      // d loss_i / d logit_c = p_c - [c = y], scaled by 1/n
      const r = (z[c] / sum - (c === y ? 1 : 0)) / n;
      if (r === 0) continue;
      grad[bOff + c] += r;
      const wo = c * d;
      for (let j = 0; j < d; j++) grad[wo + j] += r * x[xo + j];
    }
  }
  loss /= n;
  let reg = 0;
  for (let k = 0; k < bOff; k++) {
    reg += params[k] * params[k];
    grad[k] += l2 * params[k];
  }
  return loss + 0.5 * l2 * reg;
}

export function classCountOf(labels: ArrayLike<number>): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) max = Math.max(max, labels[i]);
  return max + 1;
}

/** Why data cannot be trained on, or null. */
export function validateProbeData(data: ProbeData, classCount: number): string | null {
  const n = data.labels.length;
  if (n === 0) return 'no training examples';
  if (!(data.dim > 0) || data.x.length !== n * data.dim) return `embeddings hold ${data.x.length} numbers, expected ${n} × ${data.dim}`;
  for (let i = 0; i < n; i++) {
    const y = data.labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classCount) return `label ${String(y)} of example ${i} is not a class index in 0..${classCount - 1}`;
  }
  for (let k = 0; k < data.x.length; k++) if (!Number.isFinite(data.x[k])) return `example ${Math.floor(k / data.dim)} has a non-finite feature`;
  return null;
}

/**
 * Training runs on centred, globally scaled features x' = s (x - mean): the same problem exactly
 * (W = s W', b = b' - s W' mean, penalty l2 s² on W') but far better conditioned, so L-BFGS needs
 * fewer steps. Products run in the WebAssembly SIMD kernels when available.
 */
export function trainProbe(data: ProbeData, options: TrainOptions = {}): TrainResult {
  const classCount = options.classCount ?? classCountOf(data.labels);
  const problem = validateProbeData(data, classCount);
  if (problem) throw new Error(`linear probe: ${problem}`);
  const l2 = options.l2 ?? DEFAULT_L2;
  const { dim: d } = data;
  const C = classCount;
  const prepared = prepareFeatures(data, options.featureScale, options.simd ?? true);
  const { mean, scale } = prepared;
  const start = new Float64Array(C * d + C);
  if (options.init) {
    // W' = W / s, b' = b + W mean
    for (let c = 0; c < C; c++) {
      let wm = 0;
      for (let j = 0; j < d; j++) {
        const w = options.init.weights[c * d + j];
        start[c * d + j] = w / scale;
        wm += w * mean[j];
      }
      start[C * d + c] = options.init.bias[c] + wm;
    }
  }
  const objective = scaledObjective(prepared, data.labels, C, l2 * scale * scale);
  const r = lbfgs(objective, start, { maxIterations: 1000, gradientTolerance: 1e-5, ...options });
  const head: LinearHead = { dim: d, classCount: C, weights: new Float64Array(C * d), bias: new Float64Array(C) };
  for (let c = 0; c < C; c++) {
    let wm = 0;
    for (let j = 0; j < d; j++) {
      const w = r.x[c * d + j] * scale;
      head.weights[c * d + j] = w;
      wm += w * mean[j];
    }
    head.bias[c] = r.x[C * d + c] - wm;
  }
  return { head, loss: r.f, iterations: r.iterations, evaluations: r.evaluations, gradientMax: r.gradientMax, converged: r.converged };
}

interface PreparedFeatures {
  n: number;
  dim: number;
  /** dim padded to the kernels' 16 floats */
  padded: number;
  mean: Float64Array;
  scale: number;
  kernels: Kernels | null;
  arena: KernelArena | null;
  /** byte offset of x' in kernel memory, or the JS copy */
  xAt: number;
  xJs: Float32Array | null;
}

function prepareFeatures(data: ProbeData, featureScale: number | undefined, simd: boolean): PreparedFeatures {
  const { x, dim: d } = data;
  const n = data.labels.length;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) ss += (x[i * d + j] - mean[j]) ** 2;
  const scale = featureScale ?? (ss > 0 ? Math.sqrt((n * d) / ss) : 1);
  const padded = padDim(d);
  const kernels = simd ? simdKernels() : null;
  const arena = kernels ? new KernelArena(kernels) : null;
  const xAt = arena ? arena.alloc(n * padded) : 0;
  const target = arena ? arena.f32() : new Float32Array(n * padded);
  const base = xAt / 4;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) target[base + i * padded + j] = (x[i * d + j] - mean[j]) * scale;
  return { n, dim: d, padded, mean, scale, kernels, arena, xAt, xJs: arena ? null : target };
}

/** The probe objective on prepared features, in the [W' | b'] parameters. */
function scaledObjective(p: PreparedFeatures, labels: ArrayLike<number>, C: number, l2: number): Objective {
  const { n, dim: d, padded: dp, kernels, arena } = p;
  const bOff = C * d;
  // kernel memory: weights C×dp, logits n×C, residuals n×C, gradient C×dp
  const wAt = arena ? arena.alloc(C * dp) : 0;
  const zAt = arena ? arena.alloc(n * C) : 0;
  const rAt = arena ? arena.alloc(n * C) : 0;
  const gAt = arena ? arena.alloc(C * dp) : 0;
  const js = arena ? null : { w: new Float32Array(C * dp), z: new Float32Array(n * C), r: new Float32Array(n * C), g: new Float32Array(C * dp) };
  return (params, grad) => {
    const mem = arena ? arena.f32() : null;
    const W = mem ? mem.subarray(wAt / 4, wAt / 4 + C * dp) : js!.w;
    const Z = mem ? mem.subarray(zAt / 4, zAt / 4 + n * C) : js!.z;
    const R = mem ? mem.subarray(rAt / 4, rAt / 4 + n * C) : js!.r;
    const G = mem ? mem.subarray(gAt / 4, gAt / 4 + C * dp) : js!.g;
    for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) W[c * dp + j] = params[c * d + j];
    if (kernels) {
      for (let i = 0; i < n; i++) kernels.dots(wAt, p.xAt + i * dp * 4, C, dp * 4, zAt + i * C * 4);
    } else {
      const X = p.xJs!;
      for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) {
        let s = 0;
        for (let j = 0; j < dp; j++) s += W[c * dp + j] * X[i * dp + j];
        Z[i * C + c] = s;
      }
    }
    grad.fill(0);
    let loss = 0;
    const e = new Float64Array(C);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < C; c++) {
        e[c] = Z[i * C + c] + params[bOff + c];
        if (e[c] > max) max = e[c];
      }
      let sum = 0;
      for (let c = 0; c < C; c++) sum += e[c] = Math.exp(e[c] - max);
      const y = labels[i];
      loss += Math.log(sum) - Math.log(e[y]);
      for (let c = 0; c < C; c++) {
        const r = (e[c] / sum - (c === y ? 1 : 0)) / n;
        R[i * C + c] = r;
        grad[bOff + c] += r;
      }
    }
    G.fill(0);
    if (kernels) {
      for (let i = 0; i < n; i++) kernels.rank1(gAt, rAt + i * C * 4, p.xAt + i * dp * 4, C, dp * 4);
    } else {
      const X = p.xJs!;
      for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) {
        const r = R[i * C + c];
        for (let j = 0; j < dp; j++) G[c * dp + j] += r * X[i * dp + j];
      }
    }
    let reg = 0;
    for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) {
      const w = params[c * d + j];
      reg += w * w;
      grad[c * d + j] = G[c * dp + j] + l2 * w;
    }
    return loss / n + 0.5 * l2 * reg;
  };
}

/** Logits (n × classCount, row-major) of the head on rows of x. */
export function probeLogits(head: LinearHead, x: Float32Array): Float64Array {
  const { dim: d, classCount: C, weights, bias } = head;
  const n = Math.floor(x.length / d);
  const out = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    for (let c = 0; c < C; c++) {
      const wo = c * d;
      let s = bias[c];
      for (let j = 0; j < d; j++) s += weights[wo + j] * x[xo + j];
      out[i * C + c] = s;
    }
  }
  return out;
}

export function argmaxRows(values: ArrayLike<number>, cols: number): Int32Array {
  const n = Math.floor(values.length / cols);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[i * cols + c] > values[i * cols + best]) best = c;
    out[i] = best;
  }
  return out;
}

export function probePredict(head: LinearHead, x: Float32Array): Int32Array {
  return argmaxRows(probeLogits(head, x), head.classCount);
}

/** Softmax probabilities (n × classCount, row-major). */
export function probeProbabilities(head: LinearHead, x: Float32Array): Float64Array {
  const logits = probeLogits(head, x);
  const C = head.classCount;
  for (let o = 0; o < logits.length; o += C) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[o + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += logits[o + c] = Math.exp(logits[o + c] - max);
    for (let c = 0; c < C; c++) logits[o + c] /= sum;
  }
  return logits;
}

export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hit = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hit++;
  return labels.length ? hit / labels.length : NaN;
}

/** Rows of the head as class vectors (for AVH: the probe's class weights). */
export function headClassVectors(head: LinearHead): Float64Array[] {
  return Array.from({ length: head.classCount }, (_, c) => head.weights.slice(c * head.dim, (c + 1) * head.dim));
}

// ---- export / import ----

export const HEAD_FORMAT = 'clip-lab/linear-probe';

export interface HeadJson {
  format: typeof HEAD_FORMAT;
  version: 1;
  dim: number;
  classes: string[];
  weights: number[][];
  bias: number[];
  l2?: number;
  /** e.g. the model id whose embeddings the head was trained on */
  model?: string;
}

export function exportHead(head: LinearHead, classes: string[], extra: { l2?: number; model?: string } = {}): HeadJson {
  if (classes.length !== head.classCount) throw new Error(`exportHead: ${classes.length} class names for ${head.classCount} classes`);
  return {
    format: HEAD_FORMAT,
    version: 1,
    dim: head.dim,
    classes: classes.slice(),
    weights: headClassVectors(head).map((w) => Array.from(w)),
    bias: Array.from(head.bias),
    ...extra,
  };
}

/** Parses a head saved by exportHead; errors name the field at fault. */
export function importHead(json: unknown, source = 'head JSON'): { head: LinearHead; classes: string[] } {
  const fail = (reason: string): never => {
    throw new Error(`${source}: ${reason}`);
  };
  if (typeof json !== 'object' || json === null) fail('not a JSON object');
  const o = json as Record<string, unknown>;
  if (o.format !== HEAD_FORMAT) fail(`"format" must be "${HEAD_FORMAT}"`);
  if (o.version !== 1) fail(`unsupported "version" ${String(o.version)}`);
  const dim = o.dim;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) fail('"dim" must be a positive integer');
  const d = dim as number;
  if (!Array.isArray(o.classes) || o.classes.length < 2 || !o.classes.every((c) => typeof c === 'string')) fail('"classes" must list at least 2 names');
  const classes = o.classes as string[];
  const C = classes.length;
  if (!Array.isArray(o.weights) || o.weights.length !== C) fail(`"weights" must have ${C} rows`);
  const weights = new Float64Array(C * d);
  (o.weights as unknown[]).forEach((row, c) => {
    if (!Array.isArray(row) || row.length !== d) fail(`"weights"[${c}] must have ${d} numbers`);
    (row as unknown[]).forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`"weights"[${c}][${j}] is not a finite number`);
      weights[c * d + j] = v as number;
    });
  });
  if (!Array.isArray(o.bias) || o.bias.length !== C || !o.bias.every((v) => typeof v === 'number' && Number.isFinite(v))) fail(`"bias" must have ${C} finite numbers`);
  return { head: { dim: d, classCount: C, weights, bias: Float64Array.from(o.bias as number[]) }, classes };
}
