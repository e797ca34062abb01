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
import { chooseBackend, probeWebGpu, wasmThreads, type BackendChoice, type GpuProbe } from '../../src/runtime/backend';
import { configureOrt } from '../../src/runtime/ort-env';
import { ProgressTracker } from '../../src/runtime/progress';
import { EmbeddingCache } from '../../src/runtime/embedding-cache';
import { sha256Hex } from '../../src/runtime/content-hash';
import { makeThumbnail } from '../../src/runtime/thumbnail';
import { clearCachedModels, listCachedModels, storageEstimate } from '../../src/runtime/model-cache';
import { PREPROCESSORS, type PreprocessKind } from '../../src/runtime/preprocessor-presets';
import type {
  ClassifyEvent,
  ClassifyRequest,
  ClipWorkerApi,
  ItemResult,
  LoadedModel,
  LoadRequest,
} from '../../src/runtime/clip-protocol';
import type { LoadSnapshot } from '../../src/runtime/progress';

const embeddings = new EmbeddingCache();

let gpuProbe: Promise<GpuProbe> | null = null;
const probe = () => (gpuProbe ??= probeWebGpu());

interface Loaded {
  model: ClipModel;
  info: LoadedModel;
  request: LoadRequest;
  pre: PreprocessorConfig;
}
let current: Loaded | null = null;
let loadAbort: AbortController | null = null;
let runAbort: AbortController | null = null;
/** text embeddings per (model, dtype, classes, templates); a few kept */
const textCache = new Map<string, ClassEmbeddings>();

function message(e: unknown): string {
  if (e instanceof ImageInputError) return e.reason;
  if (e instanceof Error) return e.message;
  return String(e);
}

function throttle<T>(fn: (v: T) => void, ms: number): (v: T, force?: boolean) => void {
  let last = 0;
  return (v, force) => {
    const now = performance.now();
    if (force || now - last >= ms) {
      last = now;
      fn(v);
    }
  };
}

async function loadWith(req: LoadRequest, choice: BackendChoice, onProgress: (s: LoadSnapshot) => void, signal: AbortSignal) {
  const tracker = new ProgressTracker();
  const send = throttle(onProgress, 100);
  const t0 = performance.now();
  const model = await loadClip(req.source, {
    device: choice.device,
    dtype: choice.dtype,
    signal,
    onProgress: (e) => {
      if (tracker.update(e)) send(tracker.snapshot(), e.status === 'done');
    },
  });
  onProgress(tracker.snapshot());
  const info: LoadedModel = {
    label: model.label,
    device: choice.device,
    dtype: choice.dtype,
    threads: choice.threads,
    dim: model.dim,
    imageSize: model.imageSize,
    fallbackReason: choice.fallbackReason,
    seconds: (performance.now() - t0) / 1000,
  };
  return { model, info, request: req, pre: loadPreprocessorConfig(model.preprocessorConfig) };
}

async function disposeCurrent(): Promise<void> {
  const old = current;
  current = null;
  textCache.clear();
  if (old) await old.model.dispose().catch(() => undefined);
}

const api: ClipWorkerApi = {
  async probe() {
    return { gpu: await probe(), threads: wasmThreads(), isolated: globalThis.crossOriginIsolated === true };
  },

  async load(req, onProgress) {
    loadAbort?.abort();
    const abort = new AbortController();
    loadAbort = abort;
    const threads = wasmThreads();
    configureOrt(req.siteBase, threads);
    let choice = chooseBackend(await probe(), { device: req.device, dtype: req.dtype }, threads);
    await disposeCurrent();
    try {
      current = await loadWith(req, choice, onProgress, abort.signal);
    } catch (e) {
      if (abort.signal.aborted || choice.device !== 'webgpu') throw new Error(message(e));
      // WebGPU failed to start (no memory, unsupported op, lost device): same model on WASM.
      const reason = `WebGPU failed (${message(e)})`;
      choice = { device: 'wasm', dtype: req.dtype === 'auto' ? 'q8' : req.dtype, threads, fallbackReason: reason };
      current = await loadWith(req, choice, onProgress, abort.signal);
    } finally {
      if (loadAbort === abort) loadAbort = null;
    }
    return current.info;
  },

  cancelLoad() {
    loadAbort?.abort(new Error('cancelled'));
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
      const model = current.model;
      classes = await embedClasses(model, req.classes, req.templates, (d, t) => onEvent({ type: 'text', done: d, total: t }));
      if (textCache.size > 8) textCache.delete(textCache.keys().next().value!);
      textCache.set(textKey, classes);
    }
    if (classes.truncatedPrompts.length) {
      await onEvent({ type: 'notice', message: `${classes.truncatedPrompts.length} prompt(s) longer than 77 tokens were cut` });
    }

    for (let start = 0; start < total && !abort.signal.aborted; start += batchSize) {
      const batch = req.items.slice(start, start + batchSize);
      const results = await classifyBatch(batch, classes, onEvent);
      done += batch.length;
      errors += results.filter((r) => !r.ok).length;
      // Awaited: the callback crosses its own MessagePort, and the run's return value must not
      // overtake the last batch (the UI would then see results after "done").
      await onEvent({ type: 'batch', results, done, total });
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
};

/** Hash, look up, decode + preprocess the misses, encode them, score everything. Per-file errors are values. */
async function classifyBatch(
  batch: ClassifyRequest['items'],
  classes: ClassEmbeddings,
  onEvent: (e: ClassifyEvent) => void,
): Promise<ItemResult[]> {
  const cur = current!;
  const out: ItemResult[] = [];
  const prepared: { id: string; hash: string; bytes: Uint8Array | null }[] = [];
  for (const item of batch) {
    if (!item.file) {
      if (item.hash) prepared.push({ id: item.id, hash: item.hash, bytes: null });
      else out.push({ id: item.id, ok: false, error: 'the file is no longer available: drop it again' });
      continue;
    }
    try {
      const bytes = new Uint8Array(await item.file.arrayBuffer());
      prepared.push({ id: item.id, hash: await sha256Hex(bytes), bytes });
    } catch (e) {
      out.push({ id: item.id, ok: false, error: `could not read the file (${message(e)})` });
    }
  }
  const key = (hash: string) => ({ model: cur.info.label, dtype: cur.info.dtype, hash });
  const cached = await embeddings.getMany(prepared.map((p) => key(p.hash)));

  const misses: { p: (typeof prepared)[number]; pixels: Float32Array; thumb?: Blob }[] = [];
  const names = new Map(batch.map((b) => [b.id, b.name]));
  for (let i = 0; i < prepared.length; i++) {
    if (cached[i]) continue;
    const p = prepared[i];
    if (!p.bytes) {
      out.push({ id: p.id, ok: false, hash: p.hash, error: 'the file is no longer available and its embedding is not cached: drop it again' });
      continue;
    }
    try {
      const img = await decodeImageBrowser(p.bytes, names.get(p.id)!);
      const pixels = preprocess(img, cur.pre);
      const thumb = await makeThumbnail(img).catch(() => undefined);
      if (thumb) void embeddings.putThumb(p.hash, thumb);
      misses.push({ p, pixels, thumb });
    } catch (e) {
      out.push({ id: p.id, ok: false, hash: p.hash, error: message(e) });
    }
  }

  let fresh: Float32Array = new Float32Array(0);
  if (misses.length) {
    try {
      fresh = await encodeWithFallback(misses.map((m) => m.pixels), onEvent);
      const dim = current!.info.dim;
      await embeddings.putMany(misses.map((m, i) => ({ key: key(m.p.hash), value: fresh.slice(i * dim, (i + 1) * dim) })));
    } catch (e) {
      // The model itself failed on this batch: each of its images gets the reason, the run goes on.
      for (const m of misses) out.push({ id: m.p.id, ok: false, hash: m.p.hash, error: `the model failed (${message(e)})` });
      misses.length = 0;
    }
  }

  const dim = current!.info.dim;
  const missIndex = new Map(misses.map((m, i) => [m.p.id, i]));
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i];
    const emb = cached[i] ?? (missIndex.has(p.id) ? fresh.subarray(missIndex.get(p.id)! * dim, (missIndex.get(p.id)! + 1) * dim) : null);
    if (!emb) continue; // its error is already in `out`
    const [s] = scoreImages(emb instanceof Float32Array ? emb : Float32Array.from(emb), classes);
    const thumb = missIndex.has(p.id) ? misses[missIndex.get(p.id)!].thumb : await embeddings.getThumb(p.hash);
    out.push({ id: p.id, ok: true, hash: p.hash, logits: s.logits, probs: s.probs, cached: !!cached[i], thumb });
  }
  // Keep the batch's input order.
  const order = new Map(batch.map((b, i) => [b.id, i]));
  return out.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** On a WebGPU failure mid-run (device lost, out of memory), reload on WASM and redo the batch. */
async function encodeWithFallback(pixels: Float32Array[], onEvent: (e: ClassifyEvent) => void): Promise<Float32Array> {
  const cur = current!;
  try {
    return await cur.model.encodeImages(pixels);
  } catch (e) {
    if (cur.info.device !== 'webgpu') throw e;
    const reason = `WebGPU failed during the run (${message(e)})`;
    const req = cur.request;
    const choice: BackendChoice = { device: 'wasm', dtype: req.dtype === 'auto' ? 'q8' : req.dtype, threads: wasmThreads(), fallbackReason: reason };
    await disposeCurrent();
    current = await loadWith(req, choice, () => undefined, new AbortController().signal);
    onEvent({ type: 'fallback', reason, model: current.info });
    return current.model.encodeImages(pixels);
  }
}

Comlink.expose(api);
