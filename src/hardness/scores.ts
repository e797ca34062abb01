/**
 * Confidence-style hardness scores from logits, to set beside AVH: max softmax (confidence),
 * entropy of the softmax (FiftyOne's "hardness") and margin (top-1 minus top-2 probability).
 */
import { softmax } from '../math/softmax';

export interface LogitScores {
  predicted: number;
  confidence: number;
  /** natural-log entropy of the softmax */
  entropy: number;
  margin: number;
}

export function scoresFromProbabilities(p: ArrayLike<number>): LogitScores {
  let top = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[top]) top = k;
  let second = -Infinity;
  let entropy = 0;
  for (let k = 0; k < p.length; k++) {
    if (k !== top && p[k] > second) second = p[k];
    if (p[k] > 0) entropy -= p[k] * Math.log(p[k]);
  }
  return { predicted: top, confidence: p[top], entropy, margin: p[top] - (p.length > 1 ? second : 0) };
}

export function scoresFromLogits(logits: ArrayLike<number>): LogitScores {
  return scoresFromProbabilities(softmax(logits));
}

/** Logits of a linear head on one embedding: W z (+ b). W is rows of class vectors. */
export function linearLogits(z: ArrayLike<number>, weights: readonly ArrayLike<number>[], bias?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k];
    let s = bias ? bias[k] : 0;
    for (let j = 0; j < z.length; j++) s += w[j] * z[j];
    out[k] = s;
  }
  return out;
}
