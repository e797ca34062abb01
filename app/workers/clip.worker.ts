/**
 * The CLIP worker: loads the model, decodes + preprocesses images, runs both encoders and scores,
 * all off the main thread. Exposed with Comlink (see src/runtime/clip-protocol.ts).
 */
import * as Comlink from 'comlink';
import { loadClip, type ClipModel } from '../../src/clip/model';
import { embedClasses, scoreImages, type ClassEmbeddings } from '../../src/clip/zeroshot';
import { loadPreprocessorConfig, preprocess, type PreprocessorConfig } from '../../src/clip/preprocess';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { ImageInputError } from '../../src/data/image';
import { gpuLossHook } from '../../src/runtime/gpu-loss';
import { GPU_LOST_TAG } from '../../src/runtime/gpu-lost';
import { EmbeddingCache } from '../../src/runtime/embedding-cache';
import { sha256Hex } from '../../src/runtime/content-hash';
import { makeThumbnail } from '../../src/runtime/thumbnail';
import { markStorageFull, simulateQuota, storageFull, watchCacheQuota } from '../../src/runtime/storage-full';
import { clearCachedModels, listCachedModels, storageEstimate } from '../../src/runtime/model-cache';
import { PREPROCESSORS, type PreprocessKind } from '../../src/runtime/preprocessor-presets';
import type {
  ClassifyEvent,
  ClassifyItem,
  ClipWorkerApi,
  ItemResult,
  LoadedModel,
  LoadRequest,
} from '../../src/runtime/clip-protocol';
import { modelLoader, probeWorker, trackedLoad, type LoadWith } from './model-load';

const embeddings = new EmbeddingCache();
watchCacheQuota();
/** test hook: `?batchDelay=ms` pauses after each classified batch */
let batchDelayMs = 0;

interface Loaded {
  model: ClipModel;
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
const lockedText = (m: ClipModel) => ({ encodeTexts: (t: readonly string[]) => serial(() => m.encodeTexts(t)) });

function need(): Loaded {
  if (!current) throw new Error('no model loaded');
  return current;
}

function message(e: unknown): string {
  if (e instanceof ImageInputError) return e.reason;
  if (e instanceof Error) return e.message;
  return String(e);
}

const loadWith: LoadWith<Loaded> = async (req, choice, onProgress, signal) => {
  const { model, info } = await trackedLoad(choice, onProgress, (onEvent) =>
    loadClip(req.source, { device: choice.device, dtype: choice.dtype, signal, network: req.network, onProgress: onEvent }),
  );
  return { model, info: { ...info, dim: model.dim, imageSize: model.imageSize }, request: req, pre: loadPreprocessorConfig(model.preprocessorConfig) };
};

async function disposeCurrent(): Promise<void> {
  const old = current;
  current = null;
  textCache.clear();
  if (old) await old.model.dispose().catch(() => undefined);
}

const loader = modelLoader(loadWith, disposeCurrent);

const api: ClipWorkerApi = {
  probe: probeWorker,

  async load(req, onProgress) {
    // The test hooks ride on the load request (see app/stores/model.ts).
    loseGpu = gpuLossHook(req.loseGpuAfter);
    if (req.simulateQuota) simulateQuota();
    batchDelayMs = req.batchDelayMs ?? 0;
    current = await loader.load(req, onProgress);
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

    const textKey = JSON.stringify([current.info.label, current.info.dtype, current.info.device, req.classes, req.templates]);
    let classes = textCache.get(textKey);
    if (!classes) {
      onEvent({ type: 'text', done: 0, total: req.classes.length });
      classes = await embedClasses(lockedText(current.model), req.classes, req.templates, (d, t) => onEvent({ type: 'text', done: d, total: t }));
      if (textCache.size > 8) textCache.delete(textCache.keys().next().value!);
      textCache.set(textKey, classes);
    }
    if (classes.truncatedPrompts.length) {
      await onEvent({ type: 'notice', message: `${classes.truncatedPrompts.length} prompt(s) longer than 77 tokens were cut` });
    }

    let toldFull = false;
    for (let start = 0; start < total && !abort.signal.aborted; start += batchSize) {
      const batch = req.items.slice(start, start + batchSize);
      const results = await classifyBatch(batch, classes, onEvent);
      done += batch.length;
      errors += results.filter((r) => !r.ok).length;
      if (!toldFull && storageFull()) {
        toldFull = true;
        await onEvent({ type: 'storage-full' });
      }
      // Awaited: the callback crosses its own MessagePort, and the run's return value must not
      // overtake the last batch (the UI would then see results after "done").
      await onEvent({ type: 'batch', results, done, total });
      if (batchDelayMs && start + batchSize < total) await new Promise((r) => setTimeout(r, batchDelayMs));
    }
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
    const batchSize = cur.info.device === 'webgpu' ? 16 : 8;
    const got = new Map<string, Float32Array>();
    const errors: { id: string; error: string }[] = [];
    let computed = 0;
    for (let s = 0; s < items.length; s += batchSize) {
      const { ok, failed } = await embedBatch(items.slice(s, s + batchSize), () => undefined);
      for (const e of ok) {
        got.set(e.id, e.emb);
        if (!e.cached) computed++;
      }
      for (const f of failed) errors.push({ id: f.id, error: f.error });
      await onProgress?.(Math.min(items.length, s + batchSize), items.length);
    }
    const dim = current!.info.dim;
    const ids = items.map((i) => i.id).filter((id) => got.has(id));
    const embeds = new Float32Array(ids.length * dim);
    ids.forEach((id, i) => embeds.set(got.get(id)!, i * dim));
    return Comlink.transfer({ ids, embeds, dim, errors, computed, model: current!.info }, [embeds.buffer]);
  },

  async embedPixels(pixels) {
    need();
    const out = await encodeWithFallback(pixels, () => undefined);
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

type Failed = Extract<ItemResult, { ok: false }>;
interface Embedded {
  id: string;
  hash: string;
  /** L2-normalised image embedding */
  emb: Float32Array;
  cached: boolean;
  /** made for freshly decoded images only */
  thumb?: Blob;
}

/**
 * Hash, look up in the IndexedDB cache, decode + preprocess the misses, encode and cache them.
 * Per-file errors are values; both classification and the Explore panel use this.
 */
async function embedBatch(batch: ClassifyItem[], onEvent: (e: ClassifyEvent) => void): Promise<{ ok: Embedded[]; failed: Failed[] }> {
  const cur = current!;
  const failed: Failed[] = [];
  const prepared: { id: string; hash: string; bytes: Uint8Array | null }[] = [];
  for (const item of batch) {
    if (!item.file) {
      if (item.hash) prepared.push({ id: item.id, hash: item.hash, bytes: null });
      else failed.push({ id: item.id, ok: false, error: 'the file is no longer available: drop it again' });
      continue;
    }
    try {
      const bytes = new Uint8Array(await item.file.arrayBuffer());
      prepared.push({ id: item.id, hash: await sha256Hex(bytes), bytes });
    } catch (e) {
      failed.push({ id: item.id, ok: false, error: `could not read the file (${message(e)})` });
    }
  }
  const key = (hash: string) => ({ model: cur.info.label, dtype: cur.info.dtype, hash });
  const cached = await embeddings.getMany(prepared.map((p) => key(p.hash)));

  const ok: Embedded[] = [];
  const misses: { p: (typeof prepared)[number]; pixels: Float32Array; thumb?: Blob }[] = [];
  const names = new Map(batch.map((b) => [b.id, b.name]));
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i];
    const hit = cached[i];
    if (hit) {
      ok.push({ id: p.id, hash: p.hash, emb: hit instanceof Float32Array ? hit : Float32Array.from(hit), cached: true });
      continue;
    }
    if (!p.bytes) {
      failed.push({ id: p.id, ok: false, hash: p.hash, error: 'the file is no longer available and its embedding is not cached: drop it again' });
      continue;
    }
    try {
      const img = await decodeImageBrowser(p.bytes, names.get(p.id)!);
      const pixels = preprocess(img, cur.pre);
      const thumb = await makeThumbnail(img).catch(() => undefined);
      if (thumb) void embeddings.putThumb(p.hash, thumb).then((r) => r === 'full' && markStorageFull());
      misses.push({ p, pixels, thumb });
    } catch (e) {
      failed.push({ id: p.id, ok: false, hash: p.hash, error: message(e) });
    }
  }

  if (misses.length) {
    try {
      const fresh = await encodeWithFallback(misses.map((m) => m.pixels), onEvent);
      const dim = current!.info.dim;
      const entries = misses.map((m, i) => ({ key: key(m.p.hash), value: fresh.slice(i * dim, (i + 1) * dim) }));
      if ((await embeddings.putMany(entries)) === 'full') markStorageFull();
      misses.forEach((m, i) => ok.push({ id: m.p.id, hash: m.p.hash, emb: entries[i].value, cached: false, thumb: m.thumb }));
    } catch (e) {
      if (message(e).startsWith(GPU_LOST_TAG)) throw e; // the whole run restarts on WASM
      // The model itself failed on this batch: each of its images gets the reason, the run goes on.
      for (const m of misses) failed.push({ id: m.p.id, ok: false, hash: m.p.hash, error: `the model failed (${message(e)})` });
    }
  }
  return { ok, failed };
}

/** Embeds a batch (cache first) and scores it against the classes, in the batch's order. */
async function classifyBatch(batch: ClassifyItem[], classes: ClassEmbeddings, onEvent: (e: ClassifyEvent) => void): Promise<ItemResult[]> {
  const { ok, failed } = await embedBatch(batch, onEvent);
  const out: ItemResult[] = [...failed];
  for (const e of ok) {
    const [s] = scoreImages(e.emb, classes);
    const thumb = e.cached ? await embeddings.getThumb(e.hash) : e.thumb;
    out.push({ id: e.id, ok: true, hash: e.hash, logits: s.logits, probs: s.probs, cached: e.cached, thumb });
  }
  // Keep the batch's input order.
  const order = new Map(batch.map((b, i) => [b.id, i]));
  return out.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/**
 * On a WebGPU failure mid-run (device lost, out of memory) this worker's ONNX Runtime is broken
 * for good, WASM sessions included (see src/runtime/gpu-lost.ts): stop with a tagged error; the
 * page restarts the worker on WASM and runs again (finished images come from the cache).
 */
async function encodeWithFallback(pixels: Float32Array[], _onEvent: (e: ClassifyEvent) => void): Promise<Float32Array> {
  const cur = current!;
  try {
    await loseGpu(cur.info.device);
    return await serial(() => cur.model.encodeImages(pixels));
  } catch (e) {
    if (cur.info.device !== 'webgpu') throw e;
    throw new Error(`${GPU_LOST_TAG}WebGPU failed during the run (${message(e)})`);
  }
}

Comlink.expose(api);
