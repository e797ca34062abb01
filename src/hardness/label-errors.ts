/**
 * Suspected label errors: the image is far (in angle) from its given class AND the model
 * confidently predicts another class. Both thresholds are the user's to tune.
 */
import { scoresFromProbabilities } from './scores';

export interface LabelErrorOptions {
  /** flag only when AVH for the given label is at least this */
  minAvh: number;
  /** and the top probability (of a class other than the label) is at least this */
  minConfidence: number;
}

export interface SuspectedLabelError {
  index: number;
  label: number;
  predicted: number;
  avh: number;
  confidence: number;
}

/**
 * `avh[i]` is AVH w.r.t. the given label `labels[i]`; `probabilities[i]` the model's softmax.
 * Result sorted by AVH, highest first.
 */
export function suspectedLabelErrors(
  avh: ArrayLike<number>,
  probabilities: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  options: LabelErrorOptions,
): SuspectedLabelError[] {
  const out: SuspectedLabelError[] = [];
  for (let i = 0; i < avh.length; i++) {
    const { predicted, confidence } = scoresFromProbabilities(probabilities[i]);
    if (predicted !== labels[i] && avh[i] >= options.minAvh && confidence >= options.minConfidence) {
      out.push({ index: i, label: labels[i], predicted, avh: avh[i], confidence });
    }
  }
  return out.sort((a, b) => b.avh - a.avh || a.index - b.index);
}
