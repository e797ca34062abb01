/**
 * The hardness worker's API (app/workers/hardness.worker.ts): plain data only. The worker reads image
 * embeddings from the CLIP panel's embedding cache (IndexedDB), trains linear probes and runs the
 * self-training sweeps, so the page stays responsive.
 */
import type { Scoring } from '../../src/models/scoring';

/** zeroshot: CLIP text embeddings (or the demo's network); network: a BatchNorm run's last layer; probe: a linear probe */
export type VectorSource = 'zeroshot' | 'network' | 'probe';

/**
 * Embeddings that come with the data: a network's penultimate features and last layer (a BatchNorm
 * run's images), or an imported index's stored embeddings (no class vectors: those are the zero-shot prompts').
 */
export interface DatasetVectors {
  dim: number;
  /** [items, dim], in `items` order; absent when `held` names features the hardness worker holds already */
  features?: Float32Array;
  /**
   * The key of features handed to the hardness worker once (HardnessWorkerApi.holdFeatures), so that no
   * request carries them: an imported index's (1,000,000 × 512 floats are 2 GB, cloned into every request otherwise).
   */
  held?: string;
  /** [classes, dim]; absent for an imported index */
  classVectors?: Float32Array;
}

export interface AnalyzeItem {
  id: string;
  hash?: string;
  /** zero-shot logits (the family's scale x cosine + bias) from the CLIP panel */
  logits: number[];
  /** folder label as a class index, or -1 */
  label: number;
  /** row of the request's `vectors.features` (network data) */
  row?: number;
}

export interface AnalyzeRequest {
  source: VectorSource;
  classCount: number;
  items: AnalyzeItem[];
  /** embedding cache key parts (the CLIP run's model label and dtype) */
  model: string;
  dtype: string;
  /** zero-shot: how the logits were made, to recover the cosines */
  scoring?: Scoring;
  l2?: number;
  /** a network's features and last layer (instead of the embedding cache) */
  vectors?: DatasetVectors;
}

export interface Analysis {
  source: VectorSource;
  classCount: number;
  /** ids scored, in order; items whose embedding was missing (probe) are left out */
  ids: string[];
  /** [ids, classCount] angles in radians between each image and each class vector */
  angles: Float64Array;
  /** [ids, classCount] softmax probabilities (zero-shot or probe) */
  probs: Float64Array;
  /** ids left out and why */
  missing: { id: string; reason: string }[];
  /** probe: accuracy on the labelled images it was trained on */
  trainAccuracy?: number;
  trainedOn?: number;
}

export interface SelfTrainRequest {
  classCount: number;
  items: AnalyzeItem[];
  model: string;
  dtype: string;
  /** share of each class's labelled images whose labels are hidden (the target set) */
  targetFraction: number;
  seed: number;
  rounds: number;
  l2?: number;
  /** selection quantiles: keep this share of the target by each rule's initial scores */
  quantiles: number[];
  vectors?: DatasetVectors;
}

export interface SelfTrainPoint {
  quantile: number;
  threshold: number;
  coverage: number;
  accuracy?: number;
  pseudoLabelAccuracy?: number;
}

export interface SelfTrainReport {
  source: number;
  target: number;
  initialAccuracy: number;
  avh: SelfTrainPoint[];
  confidence: SelfTrainPoint[];
  seconds: number;
}

/** Which score finds label errors best (issue #19): on injected noise, or the methods' agreement on the real labels. */
export interface LabelIssuesRequest {
  mode: 'inject' | 'real';
  classCount: number;
  /** the labelled rows of the analysis, in its order */
  items: AnalyzeItem[];
  /** the label in force for each item (after the user's relabels) */
  labels: number[];
  /** [items, classCount] angles (AVH) from the analysis */
  angles: Float64Array;
  /** [items, classCount] the panel's probabilities; absent: cross-validate the linear probe */
  probs?: Float64Array;
  model: string;
  dtype: string;
  vectors?: DatasetVectors;
  methods: import('../../src/hardness/label-issues/error-scores').Method[];
  folds: number;
  /** inject: the share of labels flipped (uniform) */
  rate: number;
  seeds: number[];
  /** real: the top-k compared between methods */
  topK: number;
}

export interface LabelIssuesReport {
  probsFrom: 'given' | 'cross-validation';
  n: number;
  inject?: import('../../src/hardness/label-issues/sweep').RateSummary;
  real?: {
    methods: Record<string, { scores: Float64Array; issues: number[] }>;
    agreement: import('../../src/hardness/label-issues/ranking-metrics').Agreement;
    noiseMatrix: number[][];
  };
  seconds: number;
}

export interface HardnessWorkerApi {
  /**
   * Keeps `features` (transferred: [rows, dim]) under `key` for requests whose vectors name it (`held`);
   * one set at a time: a new one replaces the previous.
   */
  holdFeatures(key: string, features: Float32Array): void;
  analyze(req: AnalyzeRequest): Promise<Analysis>;
  selfTrain(req: SelfTrainRequest): Promise<SelfTrainReport>;
  labelIssues(req: LabelIssuesRequest): Promise<LabelIssuesReport>;
}
