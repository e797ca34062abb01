// "Classify N images with 10 classes": the lab's pipeline against transformers.js's naive one.
import { loadClip, type ClipDtype } from '../../src/clip/model';
import { DEFAULT_TEMPLATE, embedClasses, fillTemplate, scoreImages, type ClassEmbeddings } from '../../src/clip/zeroshot';
import { call } from './protocol';
import { configureTf, hubBase } from './tf-env';

export interface ClassifyArgs {
  model: string; dtype: ClipDtype; threads: number; urls: string[]; labels: string[];
  batch?: number; cache?: boolean; checkpoints?: number[];
  build?: 'asyncify' | 'plain' | 'default';
  /** use src/clip/zeroshot.ts embedClasses as is (one text run per class) */
  perClassText?: boolean;
  /** stop after the first image (time to first result) */
  firstOnly?: boolean;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Lab: model loaded once, text embeddings once, decode+preprocess in a second worker one batch
 * ahead of inference, batched vision encoding, scoring on embeddings. Nothing read from a cache
 * of embeddings: every image is encoded.
 */
export async function labClassify(a: ClassifyArgs) {
  const t0 = now();
  configureTf(a.threads, a.cache ?? false, a.build ?? 'default');
  const clip = await loadClip({ kind: 'url', baseUrl: hubBase(), id: a.model }, { dtype: a.dtype, device: 'wasm' });
  const tLoaded = now();
  // One template per class: one batched text run for all classes (embedClasses runs one per class,
  // which costs ~10 session runs instead of 1; same embeddings since each class has one prompt).
  const classes = a.perClassText ? await embedClasses(clip, a.labels) : await oneBatchClasses(clip, a.labels);
  const tText = now();
  const decoder = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' });
  await call(decoder, 'init', { config: clip.preprocessorConfig });
  const batch = a.firstOnly ? 1 : (a.batch ?? 8);
  const urls = a.firstOnly ? a.urls.slice(0, 1) : a.urls;
  const checkpoints: { images: number; t: number }[] = [];
  const wanted = new Set(a.checkpoints ?? []);
  let top1 = 0;
  let firstResultAt = 0;
  let next = call<Float32Array[]>(decoder, 'prep', { urls: urls.slice(0, batch) });
  let decodeWaitMs = 0;
  for (let i = 0; i < urls.length; i += batch) {
    const tw = now();
    const pixels = await next;
    decodeWaitMs += now() - tw;
    if (i + batch < urls.length) next = call(decoder, 'prep', { urls: urls.slice(i + batch, i + 2 * batch) });
    const emb = await clip.encodeImages(pixels, batch);
    for (const s of scoreImages(emb, classes)) top1 += s.probs.indexOf(Math.max(...s.probs)) === 0 ? 1 : 0;
    if (!firstResultAt) firstResultAt = now();
    const done = Math.min(i + batch, urls.length);
    for (const c of wanted) if (c <= done && !checkpoints.some((k) => k.images === c)) checkpoints.push({ images: c, t: now() });
  }
  const tEnd = now();
  decoder.terminate();
  await clip.dispose();
  return {
    images: urls.length, load_ms: tLoaded - t0, text_ms: tText - tLoaded, classify_ms: tEnd - tText,
    total_ms: tEnd - t0, first_result_ms: firstResultAt - t0, decode_wait_ms: decodeWaitMs,
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

async function oneBatchClasses(clip: { encodeTexts(t: readonly string[]): Promise<{ embeds: Float32Array; dim: number }> }, labels: string[]): Promise<ClassEmbeddings> {
  const e = await clip.encodeTexts(labels.map((l) => fillTemplate(DEFAULT_TEMPLATE, l)));
  return { labels, embeds: e.embeds, dim: e.dim, truncatedPrompts: [] };
}
