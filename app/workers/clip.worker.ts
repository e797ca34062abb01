/**
 * The CLIP panel's worker: a thin adapter over the core. It loads an image-text model of any
 * family (src/models), and runs the one embedding pipeline (src/pipeline/embed-images.ts) with the
 * browser's decoder, the IndexedDB embedding cache and thumbnails; scoring is the family's own.
 * Exposed with Comlink (see src/runtime/clip-protocol.ts).
 */
import * as Comlink from 'comlink';
import { loadImageTextModel, type ImageTextModel } from '../../src/models';
import { embedClasses, scoreImages, type ClassEmbeddings } from '../../src/clip/zeroshot';
import { loadPreprocessorConfig, preprocess, type PreprocessorConfig } from '../../src/clip/preprocess';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { embedImages, type EmbedResult, type ImageItem } from '../../src/pipeline/embed-images';
import { gpuLossHook } from '../../src/runtime/gpu-loss';
import { GPU_LOST_TAG } from '../../src/runtime/gpu-lost';
import { EmbeddingCache } from '../../src/runtime/embedding-cache';
import { sha256Hex } from '../../src/runtime/content-hash';
import { markStorageFull, simulateQuota, storageFull, watchCacheQuota } from '../../src/runtime/storage-full';
import { clearCachedModels, listCachedModels, storageEstimate } from '../../src/runtime/model-cache';
import { PREPROCESSORS, type PreprocessKind } from '../../src/runtime/preprocessor-presets';
import type { ClassifyItem, ClipWorkerApi, ItemResult, LoadedModel, LoadRequest } from '../../src/runtime/clip-protocol';
import { CLIP_EMBED_CHECK, checkPixels, modelLoader, probeWorker, trackedLoad, type LoadWith } from './model-load';
import { frameToRgb, rgbaToPng } from './live-frame';
import { decodeClient } from './decode-client';
import { embeddingStore, prepareInBrowser, readBlob } from './image-prepare';

const embeddings = new EmbeddingCache();
/** reads and decodes the next batch on another thread (see runPipeline) */
const decoder = decodeClient();
watchCacheQuota();
/** test hook: `?batchDelay=ms` pauses after each classified batch */
let batchDelayMs = 0;

interface Loaded {
  model: ImageTextModel;
  info: LoadedModel;
  request: LoadRequest;
  pre: PreprocessorConfig;
}
let current: Loaded | null = null;
/** test hook: `?loseGpuAfter=N` destroys the WebGPU device after N batches */
let loseGpu = gpuLossHook();
let runAbort: AbortController | null = null;
/** text embeddings per (model, dtype, classes, templates); a few kept */
const textCache = new Map<string, ClassEmbeddings>();

/**
 * One model call at a time: the CLIP panel and the Explore panel share this model, and an ONNX
 * session must not run two inferences at once.
 */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}
/** The text encoder behind the queue (for embedClasses, which calls it once per class). */
const lockedText = (m: ImageTextModel) => ({ encodeTexts: (t: readonly string[]) => serial(() => m.encodeTexts(t)) });

function need(): Loaded {
  if (!current) throw new Error('no model loaded');
  return current;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const loadWith: LoadWith<Loaded> = async (req, choice, onProgress, signal) => {
  const { model, info } = await trackedLoad(choice, onProgress, (onEvent) =>
    loadImageTextModel(req.source, { device: choice.device, dtype: choice.dtype, signal, network: req.network, onProgress: onEvent }),
  );
  const { dim, imageSize, family, scoring, contextLength } = model;
  return { model, info: { ...info, dim, imageSize, family, scoring, contextLength }, request: req, pre: loadPreprocessorConfig(model.preprocessorConfig) };
};

/**
 * Right after a load, in the background: one text and one image through the model, and one small
 * JPEG through the decode worker. The first inference of a fresh session is several times slower
 * than the next (WebAssembly code tiers up from V8's baseline compiler, buffers are allocated), and
 * this way the user's first classification does not pay it. It goes through the model queue, so a
 * run started before it ends waits for it (counted in that run's time); failures are ignored (the
 * run that follows will report them).
 */
let warming: Promise<void> = Promise.resolve();
async function warmUp(l: Loaded): Promise<void> {
  const size = l.info.imageSize;
  await Promise.all([
    serial(() => l.model.encodeTexts(['a photo of a cat.'])).catch(() => undefined),
    serial(() => l.model.encodeImages(checkPixels(size), 1)).catch(() => undefined),
    decoder.warm(l.pre),
  ]);
}

async function disposeCurrent(): Promise<void> {
  const old = current;
  current = null;
  // a session must not be released under its own warm-up inference
  await warming;
  textCache.clear();
  if (old) await old.model.dispose().catch(() => undefined);
}

const loader = modelLoader<Loaded>(loadWith, disposeCurrent, CLIP_EMBED_CHECK);

/** The class texts' embeddings, computed once per (model, classes, templates) and kept. */
async function classEmbeddings(cur: Loaded, labels: string[], templates: string[], onProgress?: (done: number, total: number) => void): Promise<ClassEmbeddings> {
  const textKey = JSON.stringify([cur.info.label, cur.info.dtype, cur.info.device, labels, templates]);
  let classes = textCache.get(textKey);
  if (!classes) {
    onProgress?.(0, labels.length);
    classes = await embedClasses(lockedText(cur.model), labels, templates, onProgress);
    if (textCache.size > 8) textCache.delete(textCache.keys().next().value!);
    textCache.set(textKey, classes);
  }
  return classes;
}

/** The last live frame scored (for pause-on-frame), kept as RGBA to make its PNG on demand. */
let lastFrame: { rgba: Uint8ClampedArray; width: number; height: number } | null = null;

const api: ClipWorkerApi = {
  probe: probeWorker,

  async load(req, onProgress) {
    // The test hooks ride on the load request (see app/stores/model.ts).
    loseGpu = gpuLossHook(req.loseGpuAfter);
    if (req.simulateQuota) {
      simulateQuota();
      decoder.simulateQuota();
    }
    batchDelayMs = req.batchDelayMs ?? 0;
    current = await loader.load(req, onProgress);
    warming = warmUp(current);
    return current.info;
  },

  cancelLoad() {
    loader.cancel();
  },

  async classify(req, onEvent) {
    if (!current) throw new Error('no model loaded');
    runAbort?.abort();
    const abort = new AbortController();
    runAbort = abort;
    const t0 = performance.now();
    const total = req.items.length;
    const batchSize = req.batchSize ?? (current.info.device === 'webgpu' ? 16 : 8);
    let done = 0;
    let errors = 0;

    const classes = await classEmbeddings(current, req.classes, req.templates, (d, t) => onEvent({ type: 'text', done: d, total: t }));
    if (classes.truncatedPrompts.length) {
      await onEvent({ type: 'notice', message: `${classes.truncatedPrompts.length} prompt(s) longer than ${current.model.contextLength} tokens were cut` });
    }

    const cur = current;
    let toldFull = false;
    // Events go to the page in order on one chain, not awaited batch by batch: the encoder does not
    // wait for the page's round trip. The chain is awaited before returning, so the run's result
    // never overtakes its last batch (the UI would then see results after "done").
    let delivered: Promise<unknown> = Promise.resolve();
    const send = (e: Parameters<typeof onEvent>[0]) => (delivered = delivered.then(() => onEvent(e)));
    const summary = await runPipeline(req.items, batchSize, abort.signal, async (results, d, thumbs) => {
      const scored = await scoreResults(results, req.items, classes, cur, thumbs);
      errors += scored.filter((r) => !r.ok).length;
      if (!toldFull && storageFull()) {
        toldFull = true;
        send({ type: 'storage-full' });
      }
      send({ type: 'batch', results: scored, done: d, total });
      if (batchDelayMs && d < total) {
        await delivered;
        await new Promise((r) => setTimeout(r, batchDelayMs));
      }
    });
    await delivered;
    done = summary.done;
    if (runAbort === abort) runAbort = null;
    return {
      done,
      total,
      errors,
      cancelled: abort.signal.aborted,
      seconds: (performance.now() - t0) / 1000,
      truncatedPrompts: classes.truncatedPrompts,
    };
  },

  cancelClassify() {
    runAbort?.abort();
  },

  async classifyFrame(frame, labels, templates) {
    const t0 = performance.now();
    const cur = need();
    let read: ReturnType<typeof frameToRgb>;
    try {
      read = frameToRgb(frame);
    } finally {
      frame.close();
    }
    const classes = await classEmbeddings(cur, labels, templates);
    const pixels = preprocess(read.img, cur.pre);
    const emb = await encodeOrTagGpuLoss(cur, [pixels]);
    const [s] = scoreImages(emb, classes, cur.model.scoring);
    lastFrame = { rgba: read.rgba, width: read.img.width, height: read.img.height };
    return { logits: s.logits, probs: s.probs, width: read.img.width, height: read.img.height, ms: performance.now() - t0 };
  },

  async lastFramePng() {
    return lastFrame ? rgbaToPng(lastFrame.rgba, lastFrame.width, lastFrame.height) : null;
  },

  async preprocess(bytes, name, kind: PreprocessKind) {
    const cfg = loadPreprocessorConfig(PREPROCESSORS[kind]);
    const img = await decodeImageBrowser(bytes, name);
    const out = preprocess(img, cfg);
    return Comlink.transfer(out, [out.buffer]);
  },

  async listCache() {
    const [models, estimate, count] = await Promise.all([listCachedModels(), storageEstimate(), embeddings.count()]);
    return { models, estimate, embeddings: count };
  },

  async clearCache(only) {
    await clearCachedModels(only);
  },

  async clearEmbeddings() {
    await embeddings.clear();
    textCache.clear();
  },

  async embedTexts(texts, templates) {
    const cur = need();
    if (templates?.length) {
      const c = await embedClasses(lockedText(cur.model), texts, templates);
      return { embeds: c.embeds, dim: c.dim, truncated: c.truncatedPrompts };
    }
    const e = await serial(() => cur.model.encodeTexts(texts));
    return { embeds: e.embeds, dim: e.dim, truncated: texts.filter((_, i) => e.truncated[i]) };
  },

  async imageEmbeddings(items, onProgress) {
    const cur = need();
    const got = new Map<string, Float32Array>();
    const errors: { id: string; error: string }[] = [];
    const batchSize = cur.info.device === 'webgpu' ? 16 : 8;
    const summary = await runPipeline(items, batchSize, undefined, async (results, done) => {
      for (const r of results) {
        if (r.ok) got.set(items[r.index].id, r.embedding);
        else errors.push({ id: items[r.index].id, error: r.error });
      }
      await onProgress?.(done, items.length);
    });
    const dim = cur.info.dim;
    const ids = items.map((i) => i.id).filter((id) => got.has(id));
    const embeds = new Float32Array(ids.length * dim);
    ids.forEach((id, i) => embeds.set(got.get(id)!, i * dim));
    return Comlink.transfer({ ids, embeds, dim, errors, computed: summary.computed, model: cur.info }, [embeds.buffer]);
  },

  async embedPixels(pixels) {
    const out = await encodeOrTagGpuLoss(need(), pixels);
    return Comlink.transfer(out, [out.buffer]);
  },

  async preprocessorConfig() {
    return need().pre;
  },

  connect(port) {
    // Another worker (Explore) calls this API directly over its own channel: no main-thread hop.
    Comlink.expose(api, port);
  },
};

type Thumbs = Map<number, Promise<Blob | undefined>>;

/**
 * The core pipeline with this worker's encoder, cache and GPU-loss rule; each batch's reading and
 * decoding runs in the decode worker (a second thread: onnxruntime-web blocks this one while it
 * computes), or here if that worker is gone. Thumbnails come back with the decoded batch.
 */
function runPipeline(
  items: ClassifyItem[],
  batchSize: number,
  signal: AbortSignal | undefined,
  onBatch: (r: EmbedResult[], done: number, thumbs: Thumbs) => Promise<void>,
) {
  const cur = need();
  const inputs: ImageItem[] = items.map((it) => ({ name: it.name, hash: it.hash, read: it.file ? () => readBlob(it.file!) : undefined }));
  const thumbs: Thumbs = new Map();
  const { label: model, dtype } = cur.info;
  const prepare = async (start: number, end: number) => {
    const req = { start, items: items.slice(start, end).map(({ name, file, hash }) => ({ name, file, hash })), preprocessor: cur.pre, model, dtype };
    const remote = decoder.prepare(req);
    const batch = (remote && (await remote.catch(() => null))) || (await prepareInBrowser(req, embeddings));
    if (batch.storageFull) markStorageFull();
    for (const [i, t] of batch.thumbs) thumbs.set(i, Promise.resolve(t));
    return batch;
  };
  return embedImages(inputs, {
    model: cur.model,
    decode: (bytes, name) => decodeImageBrowser(bytes, name),
    batchSize,
    signal,
    cache: embeddingStore(embeddings, model, dtype),
    hash: (b) => sha256Hex(b as Uint8Array<ArrayBuffer>),
    prepare,
    encode: (pixels) => encodeOrTagGpuLoss(cur, pixels),
    isFatal: (e) => message(e).startsWith(GPU_LOST_TAG),
    onBatch: (results, done) => onBatch(results, done, thumbs),
  });
}

/** Scores a batch's embeddings with the family's own function; thumbnails for the grid. */
async function scoreResults(results: EmbedResult[], items: ClassifyItem[], classes: ClassEmbeddings, cur: Loaded, thumbs: Thumbs): Promise<ItemResult[]> {
  const out: ItemResult[] = [];
  for (const r of results) {
    const id = items[r.index].id;
    if (!r.ok) {
      out.push({ id, ok: false, hash: r.hash, error: r.error });
      continue;
    }
    const [s] = scoreImages(r.embedding, classes, cur.model.scoring);
    const thumb = r.cached ? await embeddings.getThumb(r.hash!) : await thumbs.get(r.index);
    thumbs.delete(r.index);
    out.push({ id, ok: true, hash: r.hash!, logits: s.logits, probs: s.probs, cached: r.cached, thumb });
  }
  return out;
}

/**
 * On a WebGPU failure mid-run (device lost, out of memory) this worker's ONNX Runtime is broken
 * for good, WASM sessions included (see src/runtime/gpu-lost.ts): the error is tagged and ends the
 * run; the page starts a fresh worker on WASM and runs again (finished images come from the cache).
 */
async function encodeOrTagGpuLoss(cur: Loaded, pixels: Float32Array[]): Promise<Float32Array> {
  try {
    await loseGpu(cur.info.device);
    return await serial(() => cur.model.encodeImages(pixels, pixels.length));
  } catch (e) {
    if (cur.info.device !== 'webgpu') throw e;
    throw new Error(`${GPU_LOST_TAG}WebGPU failed during the run (${message(e)})`);
  }
}

Comlink.expose(api);
