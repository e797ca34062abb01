/**
 * One comparison run, shared by the CLI (`labelissues`), the hardness worker and the docs script:
 * optional seeded noise on the labels, out-of-sample probabilities (given ones, e.g. zero-shot, or
 * k-fold cross-validation of the linear probe on the noisy labels), every method's scores and
 * issues, confident learning's noise matrix, and, with noise injected, each method's metrics.
 */
import { avhScores, rowsOf, type Vector } from '../avh';
import { confidentJoint, noiseMatrix, type Matrix } from './confident-learning';
import { crossValProbabilities } from './cross-val';
import { scoreMethods, type Method, type MethodResult } from './error-scores';
import { injectNoise, type NoiseSpec } from './inject-noise';
import { prCurve, rankingMetrics, type PrPoint, type RankingMetrics } from './ranking-metrics';

export interface CompareInput {
  /** [n, dim] row-major */
  embeddings: Float32Array;
  dim: number;
  classVectors: readonly Vector[];
  labels: ArrayLike<number>;
  /** [n, classCount] out-of-sample probabilities; absent: cross-validate the probe */
  probs?: ArrayLike<number>;
  /** AVH per example for the given labels; absent: from embeddings and classVectors */
  avh?: (labels: ArrayLike<number>) => ArrayLike<number>;
}

export interface CompareOptions {
  methods: readonly Method[];
  noise?: NoiseSpec;
  seed?: number;
  folds?: number;
  l2?: number;
}

export interface CompareResult {
  methods: Record<string, MethodResult>;
  /** where the probabilities came from */
  probsFrom: 'given' | 'cross-validation';
  /** labels the methods saw (noisy when noise was injected) */
  labels: Int32Array;
  probs: Float64Array;
  injected?: number[];
  metrics?: Record<string, RankingMetrics>;
  curves?: Record<string, PrPoint[]>;
  noiseMatrix: Matrix;
}

export function compareMethods(input: CompareInput, options: CompareOptions): CompareResult {
  const C = input.classVectors.length;
  const seed = options.seed ?? 1;
  const noisy = options.noise ? injectNoise(input.labels, C, options.noise, seed) : null;
  const labels = noisy ? noisy.labels : Int32Array.from(input.labels);
  const probs = input.probs ? Float64Array.from(input.probs) : crossValProbabilities(input.embeddings, input.dim, labels, C, { folds: options.folds ?? 5, seed, l2: options.l2 });
  const table = { probs, classCount: C, labels };
  const avh = options.methods.includes('avh')
    ? input.avh
      ? input.avh(labels)
      : avhScores(rowsOf(input.embeddings, input.dim), input.classVectors, labels)
    : null;
  const methods = scoreMethods(table, options.methods, avh);
  const result: CompareResult = {
    methods,
    probsFrom: input.probs ? 'given' : 'cross-validation',
    labels,
    probs,
    noiseMatrix: noiseMatrix(confidentJoint(table).joint),
  };
  if (noisy) {
    result.injected = noisy.flipped;
    result.metrics = {};
    result.curves = {};
    for (const [name, m] of Object.entries(methods)) {
      result.metrics[name] = rankingMetrics(m.scores, noisy.flipped);
      result.curves[name] = prCurve(m.scores, noisy.flipped);
    }
  }
  return result;
}

/** The CLI's JSON: exactly the keys of issue #19's interface. */
export function compareJson(r: CompareResult): object {
  const methods: Record<string, { scores: number[]; issues: number[] }> = {};
  for (const [name, m] of Object.entries(r.methods)) methods[name] = { scores: Array.from(m.scores), issues: m.issues };
  return {
    methods,
    ...(r.injected ? { injected: r.injected } : {}),
    ...(r.metrics ? { metrics: r.metrics } : {}),
    noise_matrix: r.noiseMatrix,
  };
}
