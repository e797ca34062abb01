/**
 * Everything the hardness view shows for one dataset, computed once: per image AVH, confidence,
 * entropy and margin; the easy-to-hard order; and how AVH's ranking relates to the others'.
 */
import { avhScores, type Vector } from './avh';
import { easyToHard, spearman } from './rank';
import { scoresFromLogits } from './scores';

export interface HardnessReport {
  avh: Float64Array;
  predicted: Int32Array;
  confidence: Float64Array;
  entropy: Float64Array;
  margin: Float64Array;
  /** indices, easiest (lowest AVH) first */
  order: number[];
  /** Spearman rho of AVH with each score (AVH and confidence move in opposite directions) */
  correlation: { confidence: number; entropy: number; margin: number };
}

/** `logits[i]` are the model's class scores for image i (CLIP: 100 × cosine; a probe: W z + b). */
export function hardnessReport(
  embeddings: readonly Vector[],
  classVectors: readonly Vector[],
  labels: ArrayLike<number>,
  logits: readonly ArrayLike<number>[],
): HardnessReport {
  const n = embeddings.length;
  if (logits.length !== n) throw new Error(`${logits.length} rows of logits for ${n} embeddings`);
  const avh = avhScores(embeddings, classVectors, labels);
  const predicted = new Int32Array(n);
  const confidence = new Float64Array(n);
  const entropy = new Float64Array(n);
  const margin = new Float64Array(n);
  logits.forEach((row, i) => {
    const s = scoresFromLogits(row);
    predicted[i] = s.predicted;
    confidence[i] = s.confidence;
    entropy[i] = s.entropy;
    margin[i] = s.margin;
  });
  return {
    avh,
    predicted,
    confidence,
    entropy,
    margin,
    order: easyToHard(avh),
    correlation: { confidence: spearman(avh, confidence), entropy: spearman(avh, entropy), margin: spearman(avh, margin) },
  };
}
