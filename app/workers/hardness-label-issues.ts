/**
 * The hardness worker's label-issue comparison (issue #19), kept apart from hardness.worker.ts: on
 * injected noise, the sweep over seeds for one rate with each method's metrics and PR curves; on the
 * real labels, each method's scores and issues, their agreement (top-k overlap, Spearman) and
 * confident learning's noise matrix. Out-of-sample probabilities: the panel's own (zero-shot or the
 * network's softmax) or 5-fold cross-validation of the linear probe on the embeddings.
 */
import { avhFromAngles } from '../../src/hardness/avh';
import { compareMethods, type CompareInput } from '../../src/hardness/label-issues/compare';
import { agreement } from '../../src/hardness/label-issues/ranking-metrics';
import { noiseSweep } from '../../src/hardness/label-issues/sweep';
import type { LabelIssuesReport, LabelIssuesRequest } from './hardness-protocol';

type Embed = (req: LabelIssuesRequest) => Promise<{ x: Float32Array; dim: number; missing: number }>;

export async function labelIssuesJob(req: LabelIssuesRequest, embed: Embed): Promise<LabelIssuesReport> {
  const t0 = performance.now();
  const C = req.classCount;
  const n = req.labels.length;
  if (n < Math.max(10, req.folds)) throw new Error(`comparing label-error finders needs at least ${Math.max(10, req.folds)} labelled images, got ${n}`);
  const angles = req.angles;
  const avh = (labels: ArrayLike<number>) => Float64Array.from({ length: n }, (_, i) => avhFromAngles(Array.from(angles.subarray(i * C, (i + 1) * C)), labels[i]));
  let x: Float32Array = new Float32Array(0);
  let dim = 1;
  if (!req.probs) {
    const e = await embed(req);
    if (e.missing) throw new Error(`${e.missing} of the images have no cached embedding (classify them again) — or compare with the panel's own probabilities`);
    x = e.x;
    dim = e.dim;
  }
  // classVectors only fix the class count here: AVH comes from the panel's angles
  const input: CompareInput = { embeddings: x, dim, classVectors: Array.from({ length: C }, () => [1]), labels: req.labels, probs: req.probs, avh };
  const probsFrom = req.probs ? 'given' : 'cross-validation';
  if (req.mode === 'inject') {
    const inject = noiseSweep(input, { rates: [req.rate], seeds: req.seeds, methods: req.methods, folds: req.folds });
    return { probsFrom, n, inject: inject[0], seconds: (performance.now() - t0) / 1000 };
  }
  const r = compareMethods(input, { methods: req.methods, folds: req.folds, seed: req.seeds[0] ?? 1 });
  const scores = Object.fromEntries(Object.entries(r.methods).map(([k, v]) => [k, v.scores]));
  return {
    probsFrom,
    n,
    real: {
      methods: Object.fromEntries(Object.entries(r.methods).map(([k, v]) => [k, { scores: v.scores, issues: v.issues }])),
      agreement: agreement(scores, req.topK),
      noiseMatrix: r.noiseMatrix,
    },
    seconds: (performance.now() - t0) / 1000,
  };
}
