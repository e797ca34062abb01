/**
 * Self-training under domain shift (Chen et al. 2020, §5): train the linear probe on the labelled
 * source set; on the target set keep the images whose AVH (w.r.t. the predicted class, with the
 * probe's class weights as class vectors) is under a threshold, or whose confidence is over one
 * (the paper's baseline); pseudo-label them, retrain on source + kept target, repeat.
 */
import {
  accuracy,
  argmaxRows,
  headClassVectors,
  probeLogits,
  trainProbe,
  type LinearHead,
  type ProbeData,
} from '../math/linear-probe';
import { avhFromAngles, classAngles } from './avh';
import { softmax } from '../math/softmax';

export type SelectBy = 'avh' | 'confidence';

export interface SelfTrainOptions {
  source: ProbeData;
  /** target embeddings (rows of source.dim); labels, if given, are used only to report accuracy */
  target: { x: Float32Array; labels?: ArrayLike<number> };
  classCount: number;
  by: SelectBy;
  /** keep AVH < threshold, or confidence > threshold */
  threshold: number;
  rounds?: number;
  l2?: number;
}

export interface SelfTrainRound {
  round: number;
  /** target examples pseudo-labelled for this round's training */
  selected: number;
  coverage: number;
  /** share of the selected pseudo-labels that are right (when target labels exist) */
  pseudoLabelAccuracy?: number;
  /** target accuracy of the probe trained in this round */
  targetAccuracy?: number;
}

export interface SelfTrainResult {
  head: LinearHead;
  /** target accuracy of the source-only probe */
  initialAccuracy?: number;
  rounds: SelfTrainRound[];
}

/** Per target row: predicted class, its AVH and its confidence under the head. */
export function targetScores(head: LinearHead, x: Float32Array): { predicted: Int32Array; avh: Float64Array; confidence: Float64Array } {
  const C = head.classCount;
  const d = head.dim;
  const logits = probeLogits(head, x);
  const predicted = argmaxRows(logits, C);
  const classVectors = headClassVectors(head);
  const classNorms = classVectors.map((w) => Math.hypot(...w));
  const n = predicted.length;
  const avh = new Float64Array(n);
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = x.subarray(i * d, (i + 1) * d);
    avh[i] = avhFromAngles(classAngles(z, classVectors, classNorms), predicted[i]);
    confidence[i] = Math.max(...softmax(logits.subarray(i * C, (i + 1) * C)));
  }
  return { predicted, avh, confidence };
}

export function selfTrain(options: SelfTrainOptions): SelfTrainResult {
  const { source, target, classCount, by, threshold, l2 } = options;
  const d = source.dim;
  const n = Math.floor(target.x.length / d);
  if (target.x.length !== n * d) throw new Error(`target embeddings hold ${target.x.length} numbers, not a multiple of ${d}`);
  if (target.labels && target.labels.length !== n) throw new Error(`target has ${n} embeddings but ${target.labels.length} labels`);
  const evaluate = (head: LinearHead) => (target.labels ? accuracy(argmaxRows(probeLogits(head, target.x), classCount), target.labels) : undefined);
  let { head } = trainProbe(source, { classCount, l2 });
  const result: SelfTrainResult = { head, initialAccuracy: evaluate(head), rounds: [] };
  for (let round = 1; round <= (options.rounds ?? 5); round++) {
    const s = targetScores(head, target.x);
    const keep: number[] = [];
    for (let i = 0; i < n; i++) if (by === 'avh' ? s.avh[i] < threshold : s.confidence[i] > threshold) keep.push(i);
    const sn = source.labels.length;
    const x = new Float32Array((sn + keep.length) * d);
    const labels = new Int32Array(sn + keep.length);
    x.set(source.x.subarray(0, sn * d));
    for (let i = 0; i < sn; i++) labels[i] = source.labels[i];
    keep.forEach((t, r) => {
      x.set(target.x.subarray(t * d, (t + 1) * d), (sn + r) * d);
      labels[sn + r] = s.predicted[t];
    });
    head = trainProbe({ x, dim: d, labels }, { classCount, l2, init: head }).head;
    let right = 0;
    if (target.labels) for (const t of keep) if (s.predicted[t] === target.labels[t]) right++;
    result.rounds.push({
      round,
      selected: keep.length,
      coverage: n ? keep.length / n : 0,
      pseudoLabelAccuracy: target.labels ? (keep.length ? right / keep.length : NaN) : undefined,
      targetAccuracy: evaluate(head),
    });
  }
  result.head = head;
  return result;
}

export interface SweepPoint {
  threshold: number;
  /** coverage and pseudo-label accuracy of the last round */
  coverage: number;
  pseudoLabelAccuracy?: number;
  /** target accuracy after the last round */
  accuracy?: number;
}

/** Accuracy and coverage against the threshold, for one selection rule (chart data). */
export function selfTrainSweep(options: Omit<SelfTrainOptions, 'threshold'>, thresholds: readonly number[]): SweepPoint[] {
  return thresholds.map((threshold) => {
    const r = selfTrain({ ...options, threshold });
    const last = r.rounds[r.rounds.length - 1];
    return {
      threshold,
      coverage: last ? last.coverage : 0,
      pseudoLabelAccuracy: last?.pseudoLabelAccuracy,
      accuracy: last ? last.targetAccuracy : r.initialAccuracy,
    };
  });
}
