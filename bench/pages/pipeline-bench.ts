// "Classify N images with 10 classes": the lab's pipeline against transformers.js's zero-shot pipeline.
import { loadImageTextModel, type ModelDtype } from '../../src/models';
import { embedClasses, scoreImages } from '../../src/clip/zeroshot';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { embedImages } from '../../src/pipeline/embed-images';
import { configureTf, hubBase } from './tf-env';

export interface ClassifyArgs {
  model: string; dtype: ModelDtype; threads: number; urls: string[]; labels: string[];
  batch?: number; cache?: boolean; checkpoints?: number[];
  build?: 'asyncify' | 'plain' | 'default';
  /** stop after the first image (time to first result) */
  firstOnly?: boolean;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Lab: the model loaded once, the class prompts through the lab's embedClasses, then the lab's own
 * embedding pipeline (src/pipeline/embed-images.ts: decode one batch ahead, batched encoder calls)
 * and the family's scoring. No embedding cache: every image is encoded.
 */
export async function labClassify(a: ClassifyArgs) {
  const t0 = now();
  configureTf(a.threads, a.cache ?? false, a.build ?? 'default');
  const model = await loadImageTextModel({ kind: 'url', baseUrl: hubBase(), id: a.model }, { dtype: a.dtype, device: 'wasm' });
  const tLoaded = now();
  const classes = await embedClasses(model, a.labels);
  const tText = now();
  const batch = a.firstOnly ? 1 : (a.batch ?? 8);
  const urls = a.firstOnly ? a.urls.slice(0, 1) : a.urls;
  const checkpoints: { images: number; t: number }[] = [];
  const wanted = new Set(a.checkpoints ?? []);
  let top1 = 0;
  let firstResultAt = 0;
  const summary = await embedImages(
    urls.map((url) => ({ name: url, read: async () => new Uint8Array(await (await fetch(url)).arrayBuffer()) })),
    {
      model,
      decode: decodeImageBrowser,
      batchSize: batch,
      onBatch: (results, done) => {
        const ok = results.flatMap((r) => (r.ok ? [r.embedding] : []));
        if (ok.length !== results.length) throw new Error(`bench images failed: ${results.flatMap((r) => (r.ok ? [] : [r.error])).join('; ')}`);
        const packed = new Float32Array(ok.length * model.dim);
        ok.forEach((e, i) => packed.set(e, i * model.dim));
        for (const s of scoreImages(packed, classes, model.scoring)) top1 += s.probs.indexOf(Math.max(...s.probs)) === 0 ? 1 : 0;
        if (!firstResultAt) firstResultAt = now();
        for (const c of wanted) if (c <= done && !checkpoints.some((k) => k.images === c)) checkpoints.push({ images: c, t: now() });
      },
    },
  );
  const tEnd = now();
  await model.dispose();
  return {
    images: summary.done, load_ms: tLoaded - t0, text_ms: tText - tLoaded, classify_ms: tEnd - tText,
    total_ms: tEnd - t0, first_result_ms: firstResultAt - t0,
    start_epoch_ms: t0, classify_start_epoch_ms: tLoaded, end_epoch_ms: tEnd, checkpoints: checkpoints.map((c) => ({ images: c.images, ms: c.t - tText, epoch_ms: c.t })),
    top1_class0: top1,
  };
}

/** Naive: transformers.js's zero-shot pipeline called once per image (re-encodes the labels each time). */
export async function naiveClassify(a: ClassifyArgs) {
  const t0 = now();
  const { env, pipeline } = await import('@huggingface/transformers');
  configureTf(a.threads, a.cache ?? false);
  env.remoteHost = hubBase();
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  const clf = await pipeline('zero-shot-image-classification', a.model, { dtype: a.dtype, device: 'wasm' });
  const tLoaded = now();
  const urls = a.firstOnly ? a.urls.slice(0, 1) : a.urls;
  let firstResultAt = 0;
  let scored = 0;
  for (const url of urls) {
    const r = (await clf(url, a.labels)) as unknown as { label: string; score: number }[];
    scored += r.length;
    if (!firstResultAt) firstResultAt = now();
  }
  if (scored !== urls.length * a.labels.length) throw new Error(`naive pipeline scored ${scored} pairs, expected ${urls.length * a.labels.length}`);
  const tEnd = now();
  await clf.dispose();
  return { images: urls.length, load_ms: tLoaded - t0, classify_ms: tEnd - tLoaded, total_ms: tEnd - t0,
    first_result_ms: firstResultAt - t0, classify_start_epoch_ms: tLoaded, end_epoch_ms: tEnd };
}
