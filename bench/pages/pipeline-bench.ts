// "Classify N images with 10 classes", the baselines the shipped lab (bench/lab-app.ts) is compared
// with: transformers.js's zero-shot pipeline per image (naive) and in batches of 8 (batched); and
// PROTOTYPE, the lab's core pipeline assembled in a bench worker (not the shipped CLIP worker: no
// hashing, no IndexedDB cache, no thumbnails, no UI). The prototype is never a headline figure.
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
 * PROTOTYPE (bench-only, never a headline): the model loaded once, the class prompts through the lab's embedClasses, then the lab's own
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

/**
 * Batched: transformers.js's zero-shot pipeline given the images `batch` at a time
 * (`classifier(urls, labels)`): it encodes the prompts once per call, not once per image.
 * `build: 'plain'` points its ORT at the plain wasm build, as the lab does without WebGPU.
 */
export async function batchedClassify(a: ClassifyArgs) {
  const t0 = now();
  const { env, pipeline } = await import('@huggingface/transformers');
  configureTf(a.threads, a.cache ?? false, a.build ?? 'default');
  env.remoteHost = hubBase();
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  const clf = await pipeline('zero-shot-image-classification', a.model, { dtype: a.dtype, device: 'wasm' });
  const tLoaded = now();
  const batch = Math.max(1, a.batch ?? 8);
  let firstResultAt = 0;
  let scored = 0;
  for (let i = 0; i < a.urls.length; i += batch) {
    const urls = a.urls.slice(i, i + batch);
    const r = (await clf(urls, a.labels)) as unknown as { label: string; score: number }[][] | { label: string; score: number }[];
    // one image gives a flat list, several a list per image
    scored += urls.length === 1 ? (r as unknown[]).length : (r as unknown[][]).reduce((s, x) => s + x.length, 0);
    if (!firstResultAt) firstResultAt = now();
  }
  if (scored !== a.urls.length * a.labels.length) throw new Error(`batched pipeline scored ${scored} pairs, expected ${a.urls.length * a.labels.length}`);
  const tEnd = now();
  await clf.dispose();
  return { images: a.urls.length, batch, load_ms: tLoaded - t0, classify_ms: tEnd - tLoaded, total_ms: tEnd - t0,
    first_result_ms: firstResultAt - t0, classify_start_epoch_ms: tLoaded, end_epoch_ms: tEnd };
}
