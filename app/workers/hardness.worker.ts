/**
 * Hardness computations off the main thread. Class vectors:
 * - zero-shot: the CLIP panel's text embeddings. Its logits are the family's scale x cosine(image,
 *   class) + bias, so the angles come straight from them (arccos of src/models/scoring.ts cosineOf),
 *   exactly, with no text encoder run again. Confidence, entropy and margin need a distribution over
 *   the classes: the softmax of those logits for every family (for SigLIP, whose own probabilities
 *   are independent sigmoids, the bias cancels and this is the usual "which class" distribution).
 * - probe: a linear probe trained on the labelled images' embeddings (from the embedding cache);
 *   its weight rows are the class vectors.
 */
import * as Comlink from 'comlink';
import { EmbeddingCache } from '../../src/runtime/embedding-cache';
import { CLIP_SCORING } from '../../src/models/clip/scoring';
import { cosineOf } from '../../src/models/scoring';
import { accuracy, argmaxRows, headClassVectors, probeLogits, probeProbabilities, trainProbe } from '../../src/math/linear-probe';
import { stratifiedSplit } from '../../src/math/probe-splits';
import { classAngles } from '../../src/hardness/avh';
import { softmax } from '../../src/math/softmax';
import { selfTrain, targetScores } from '../../src/hardness/self-train';
import type { AnalyzeItem, DatasetVectors, HardnessWorkerApi, SelfTrainPoint } from './hardness-protocol';
import { labelIssuesJob } from './hardness-label-issues';

const cache = new EmbeddingCache();

/** Features handed over once (an imported index's: holdFeatures), by key. */
let held: { key: string; features: Float32Array } | null = null;

function featuresOf(v: DatasetVectors): Float32Array {
  if (v.features) return v.features;
  if (v.held !== undefined && held?.key === v.held) return held.features;
  throw new Error('the imported index’s embeddings are no longer in the hardness worker (it restarted): open the index again');
}

/** The items' rows of a network's features or an imported index's (every item has one). */
function gather(items: AnalyzeItem[], v: DatasetVectors) {
  const features = featuresOf(v);
  const missing: { id: string; reason: string }[] = [];
  // every row in order (an imported index's analysis): the features themselves, no copy (only read)
  if (items.length * v.dim === features.length && items.every((it, r) => it.row === r)) return { found: items, x: features, dim: v.dim, missing };
  const x = new Float32Array(items.length * v.dim);
  items.forEach((it, r) => x.set(features.subarray(it.row! * v.dim, (it.row! + 1) * v.dim), r * v.dim));
  return { found: items, x, dim: v.dim, missing };
}

async function embeddings(items: AnalyzeItem[], model: string, dtype: string, vectors?: DatasetVectors) {
  if (vectors) return gather(items, vectors);
  const withHash = items.filter((i) => i.hash);
  const got = await cache.getMany(withHash.map((i) => ({ model, dtype, hash: i.hash! })));
  const found: { item: AnalyzeItem; z: Float32Array }[] = [];
  const missing: { id: string; reason: string }[] = items.filter((i) => !i.hash).map((i) => ({ id: i.id, reason: 'no content hash (classify it again)' }));
  withHash.forEach((item, k) => {
    const z = got[k];
    if (z) found.push({ item, z });
    else missing.push({ id: item.id, reason: 'its embedding is no longer cached (classify it again)' });
  });
  const dim = found[0]?.z.length ?? 0;
  const x = new Float32Array(found.length * dim);
  found.forEach((f, r) => x.set(f.z, r * dim));
  return { found: found.map((f) => f.item), x, dim, missing };
}

function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

const api: HardnessWorkerApi = {
  holdFeatures(key, features) {
    held = { key, features };
  },

  async analyze(req) {
    const C = req.classCount;
    if (req.source === 'zeroshot') {
      const n = req.items.length;
      const angles = new Float64Array(n * C);
      const probs = new Float64Array(n * C);
      const scoring = req.scoring ?? CLIP_SCORING;
      req.items.forEach((it, i) => {
        for (let k = 0; k < C; k++) angles[i * C + k] = Math.acos(Math.min(1, Math.max(-1, cosineOf(it.logits[k], scoring))));
        probs.set(softmax(it.logits), i * C);
      });
      return Comlink.transfer({ source: req.source, classCount: C, ids: req.items.map((i) => i.id), angles, probs, missing: [] }, [angles.buffer, probs.buffer]);
    }
    if (req.source === 'network') {
      // z: the network's penultimate features; class vectors: its linear layer's rows; probabilities: softmax(W z + b)
      const v = req.vectors;
      if (!v?.classVectors) throw new Error('these images have no network features: open them from a BatchNorm run');
      const { x, dim } = gather(req.items, v);
      const last = v.classVectors;
      const vectors = Array.from({ length: C }, (_, k) => last.subarray(k * dim, (k + 1) * dim));
      const norms = vectors.map((w) => Math.hypot(...w));
      const n = req.items.length;
      const angles = new Float64Array(n * C);
      const probs = new Float64Array(n * C);
      req.items.forEach((it, r) => {
        angles.set(classAngles(x.subarray(r * dim, (r + 1) * dim), vectors, norms), r * C);
        probs.set(softmax(it.logits), r * C);
      });
      return Comlink.transfer({ source: req.source, classCount: C, ids: req.items.map((i) => i.id), angles, probs, missing: [] }, [angles.buffer, probs.buffer]);
    }
    const { found, x, dim, missing } = await embeddings(req.items, req.model, req.dtype, req.vectors);
    const labelledRows = found.map((it, r) => (it.label >= 0 ? r : -1)).filter((r) => r >= 0);
    const present = new Set(labelledRows.map((r) => found[r].label));
    if (present.size < 2) throw new Error('a linear probe needs labelled images (folder names matching class names) of at least 2 classes');
    const tx = new Float32Array(labelledRows.length * dim);
    const ty = new Int32Array(labelledRows.length);
    labelledRows.forEach((r, j) => {
      tx.set(x.subarray(r * dim, (r + 1) * dim), j * dim);
      ty[j] = found[r].label;
    });
    const { head } = trainProbe({ x: tx, dim, labels: ty }, { classCount: C, l2: req.l2 });
    const vectors = headClassVectors(head);
    const norms = vectors.map((w) => Math.hypot(...w));
    const n = found.length;
    const angles = new Float64Array(n * C);
    for (let r = 0; r < n; r++) angles.set(classAngles(x.subarray(r * dim, (r + 1) * dim), vectors, norms), r * C);
    const probs = probeProbabilities(head, x);
    const trainAccuracy = accuracy(argmaxRows(probeLogits(head, tx), C), ty);
    return Comlink.transfer(
      { source: req.source, classCount: C, ids: found.map((i) => i.id), angles, probs, missing, trainAccuracy, trainedOn: labelledRows.length },
      [angles.buffer, probs.buffer],
    );
  },

  async selfTrain(req) {
    const t0 = performance.now();
    const C = req.classCount;
    const { found, x, dim } = await embeddings(req.items.filter((i) => i.label >= 0), req.model, req.dtype, req.vectors);
    const labels = Int32Array.from(found.map((i) => i.label));
    const { train, heldOut } = stratifiedSplit(labels, req.targetFraction, req.seed, C);
    if (train.length < 2 || heldOut.length < 1) throw new Error('self-training needs more labelled images: at least two per class');
    const pick = (rows: number[]) => {
      const out = new Float32Array(rows.length * dim);
      rows.forEach((r, j) => out.set(x.subarray(r * dim, (r + 1) * dim), j * dim));
      return out;
    };
    const source = { x: pick(train), dim, labels: Int32Array.from(train.map((r) => labels[r])) };
    const target = { x: pick(heldOut), labels: Int32Array.from(heldOut.map((r) => labels[r])) };
    // Thresholds at the same target shares for both rules, from the source-only probe's scores.
    const head0 = trainProbe(source, { classCount: C, l2: req.l2 }).head;
    const s0 = targetScores(head0, target.x);
    const initialAccuracy = accuracy(s0.predicted, target.labels);
    const avhSorted = Float64Array.from(s0.avh).sort();
    const confSorted = Float64Array.from(s0.confidence).sort().reverse();
    const sweep = (by: 'avh' | 'confidence'): SelfTrainPoint[] =>
      req.quantiles.map((q) => {
        // keep AVH < t: t just above the q-quantile; keep confidence > t: t just below it
        const t = by === 'avh' ? quantile(avhSorted, q) * (1 + 1e-12) + 1e-15 : quantile(confSorted, q) * (1 - 1e-12) - 1e-15;
        const r = selfTrain({ source, target, classCount: C, by, threshold: t, rounds: req.rounds, l2: req.l2 });
        const last = r.rounds[r.rounds.length - 1];
        return { quantile: q, threshold: t, coverage: last?.coverage ?? 0, accuracy: last?.targetAccuracy, pseudoLabelAccuracy: last?.pseudoLabelAccuracy };
      });
    return {
      source: train.length,
      target: heldOut.length,
      initialAccuracy,
      avh: sweep('avh'),
      confidence: sweep('confidence'),
      seconds: (performance.now() - t0) / 1000,
    };
  },

  async labelIssues(req) {
    return labelIssuesJob(req, async (r) => {
      const e = await embeddings(r.items, r.model, r.dtype, r.vectors);
      return { x: e.x, dim: e.dim, missing: e.missing.length };
    });
  },
};

Comlink.expose(api);
