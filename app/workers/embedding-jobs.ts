/**
 * Work on a set of L2-normalised embeddings that the explore worker (the CLIP panel's images) and the
 * index worker (an imported Parquet index) both do, one code path for both: text and class-prompt
 * embeddings from the CLIP worker (cached), zero-shot predictions, and the few-shot linear probe.
 */
import type * as Comlink from 'comlink';
import type { ClassEmbeddings } from '../../src/clip/zeroshot';
import { accuracy, exportHead } from '../../src/math/linear-probe';
import { shotsCurve, stratifiedSplit, subset } from '../../src/math/probe-splits';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';
import type { ClassPrompts, ProbeResult } from './explore-protocol';

/** Query and class-prompt embeddings from the CLIP worker's model, cached until `clear()`. */
export class TextEmbeddings {
  private texts = new Map<string, Float32Array>();
  private classes = new Map<string, ClassEmbeddings>();
  constructor(private clip: () => Comlink.Remote<ClipWorkerApi>) {}

  clear(): void {
    this.texts.clear();
    this.classes.clear();
  }

  async text(text: string): Promise<{ vec: Float32Array; ms: number }> {
    const hit = this.texts.get(text);
    if (hit) return { vec: hit, ms: 0 };
    const t0 = performance.now();
    const e = await this.clip().embedTexts([text]);
    if (this.texts.size > 200) this.texts.delete(this.texts.keys().next().value!);
    this.texts.set(text, e.embeds);
    return { vec: e.embeds, ms: performance.now() - t0 };
  }

  async classEmbeddings(p: ClassPrompts): Promise<ClassEmbeddings> {
    const key = JSON.stringify([p.classes, p.templates]);
    const hit = this.classes.get(key);
    if (hit) return hit;
    const r = await this.clip().embedTexts(p.classes, p.templates.length ? p.templates : ['{}']);
    const e: ClassEmbeddings = { labels: [...p.classes], embeds: r.embeds, dim: r.dim, truncatedPrompts: r.truncated };
    if (this.classes.size > 8) this.classes.delete(this.classes.keys().next().value!);
    this.classes.set(key, e);
    return e;
  }
}

/** Zero-shot class (argmax cosine) of each normalised row of x. */
export function zeroShotPredict(x: Float32Array, c: ClassEmbeddings): Int32Array {
  const n = x.length / c.dim;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let k = 0; k < c.labels.length; k++) {
      let s = 0;
      for (let j = 0; j < c.dim; j++) s += x[i * c.dim + j] * c.embeds[k * c.dim + j];
      if (s > best) {
        best = s;
        out[i] = k;
      }
    }
  }
  return out;
}

export interface ProbeJob extends ClassPrompts {
  heldOutFraction: number;
  seed: number;
  l2: number;
}

/**
 * The linear probe on labelled rows of `flat` (rowLabels: class index per row, -1 = unlabelled): a
 * stratified held-out split, the accuracy-vs-shots curve, zero-shot on the same held-out rows, and
 * the head trained on every training row.
 */
export async function probeJob(
  flat: Float32Array,
  dim: number,
  rowLabels: ArrayLike<number>,
  req: ProbeJob,
  text: TextEmbeddings,
  modelLabel: string,
): Promise<ProbeResult> {
  const t0 = performance.now();
  const rows: number[] = [];
  for (let i = 0; i < rowLabels.length; i++) if (rowLabels[i] >= 0) rows.push(i);
  const classCount = req.classes.length;
  const present = new Set(rows.map((r) => rowLabels[r]));
  if (classCount < 2 || present.size < 2) throw new Error('the probe needs labelled images of at least 2 classes');
  const data = subset({ x: flat, dim, labels: Int32Array.from(rowLabels) }, rows);
  const { train, heldOut } = stratifiedSplit(data.labels, req.heldOutFraction, req.seed, classCount);
  if (!heldOut.length) throw new Error('no held-out images: add more labelled images (at least 2 per class)');
  const curve = shotsCurve(data, train, heldOut, { classCount, l2: req.l2, seed: req.seed });
  const test = subset(data, heldOut);
  const zs = zeroShotPredict(test.x, await text.classEmbeddings(req));
  const last = curve[curve.length - 1];
  return {
    curve: curve.map((p) => ({ shots: p.shots, trainCount: p.trainCount, accuracy: p.accuracy })),
    zeroShot: accuracy(zs, test.labels),
    trainCount: train.length,
    heldOutCount: heldOut.length,
    head: exportHead(last.head, req.classes, { l2: req.l2, model: modelLabel }),
    seconds: (performance.now() - t0) / 1000,
  };
}
