/**
 * A family's scoring of L2-normalised embeddings: logit = scale * cosine + bias, then
 * - softmax over the classes (CLIP: the classes compete, probabilities sum to 1), or
 * - a sigmoid per class (SigLIP: each class is an independent yes/no; they need not sum to 1).
 */
import { softmax } from '../math/softmax';

export type ScoringKind = 'softmax' | 'sigmoid';

export interface Scoring {
  kind: ScoringKind;
  /** multiplies the cosine (CLIP: exp(4.6052) = 100; SigLIP: exp(logit_scale) read from the model) */
  scale: number;
  /** added after scaling (CLIP: 0; SigLIP: logit_bias read from the model) */
  bias: number;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function logitOf(cosine: number, s: Scoring): number {
  return s.scale * cosine + s.bias;
}

/** The cosine a logit came from (the hardness panel recovers angles this way). */
export function cosineOf(logit: number, s: Scoring): number {
  return (logit - s.bias) / s.scale;
}

export function probabilities(logits: readonly number[], s: Scoring): number[] {
  return s.kind === 'softmax' ? softmax(logits) : logits.map(sigmoid);
}
