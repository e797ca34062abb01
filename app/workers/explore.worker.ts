/**
 * The Explore worker: embeddings of the loaded images (from the shared embedding cache, or computed),
 * text search, more-like-this, near-duplicates, the linear probe, the distribution-shift lab and the
 * 2-D map. It loads its own copy of the CLIP panel's model (same source, device and dtype) because
 * the CLIP worker does not expose text/image embeddings; see the report for the methods it needs.
 */
import * as Comlink from 'comlink';
import { loadClip, type ClipModel } from '../../src/clip/model';
import { EmbeddingIndex } from '../../src/clip/search-rank';
import { embedClasses, type ClassEmbeddings } from '../../src/clip/zeroshot';
import { centerCrop, loadPreprocessorConfig, preprocess, resizeRgb, resizeTarget, type PreprocessorConfig } from '../../src/clip/preprocess';
import { accuracy, exportHead, importHead, probePredict, type LinearHead } from '../../src/clip/probe';
import { shotsCurve, stratifiedSplit, subset } from '../../src/clip/probe-data';
import { applyShift } from '../../src/clip/shifts';
import { embeddingMap } from '../../src/clip/embed-map';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { ImageInputError, type RgbImage } from '../../src/data/image';
import { configureOrt } from '../../src/runtime/ort-env';
import { wasmThreads } from '../../src/runtime/backend';
import { EmbeddingCache } from '../../src/runtime/embedding-cache';
import { sha256Hex } from '../../src/runtime/content-hash';
import { sourceLabel } from '../../src/runtime/model-source';
import type {
  ClassPrompts,
  ExploreItem,
  ExploreModel,
  ExploreWorkerApi,
  Method,
  Predictions,
  SearchResult,
  ShiftResult,
} from './explore-protocol';

const cache = new EmbeddingCache();

interface Loaded {
  key: string;
  model: ClipModel;
  pre: PreprocessorConfig;
}
let loaded: Promise<Loaded> | null = null;
let loadedKey = '';

/** Embeddings of the current images, rows L2-normalised, in `ids` order. */
let ids: string[] = [];
let flat = new Float32Array(0);
let dim = 0;
let index: EmbeddingIndex | null = null;
const textCache = new Map<string, Float32Array>();
const classCache = new Map<string, ClassEmbeddings>();
let shiftCancelled = false;

function message(e: unknown): string {
  if (e instanceof ImageInputError) return e.reason;
  if (e instanceof Error) return e.message;
  return String(e);
}

function modelKey(m: ExploreModel): string {
  return JSON.stringify([sourceLabel(m.source), m.device, m.dtype]);
}

async function model(req: ExploreModel): Promise<Loaded> {
  const key = modelKey(req);
  if (loaded && loadedKey === key) return loaded;
  const previous = loaded;
  loadedKey = key;
  textCache.clear();
  classCache.clear();
  loaded = (async () => {
    await previous?.then((p) => p.model.dispose()).catch(() => undefined);
    configureOrt(req.siteBase, wasmThreads());
    const m = await loadClip(req.source, { device: req.device, dtype: req.dtype });
    return { key, model: m, pre: loadPreprocessorConfig(m.preprocessorConfig) };
  })();
  loaded.catch(() => {
    if (loadedKey === key) {
      loaded = null;
      loadedKey = '';
    }
  });
  return loaded;
}

function current(): Promise<Loaded> {
  if (!loaded) throw new Error('no images embedded yet: open the Explore panel after loading a model and images');
  return loaded;
}

function requireIndex(): EmbeddingIndex {
  if (!index || !ids.length) throw new Error('no image embeddings yet');
  return index;
}

async function textEmbedding(text: string): Promise<{ vec: Float32Array; ms: number }> {
  const hit = textCache.get(text);
  if (hit) return { vec: hit, ms: 0 };
  const { model: m } = await current();
  const t0 = performance.now();
  const e = await m.encodeTexts([text]);
  if (textCache.size > 200) textCache.delete(textCache.keys().next().value!);
  textCache.set(text, e.embeds);
  return { vec: e.embeds, ms: performance.now() - t0 };
}

async function classEmbeddings(p: ClassPrompts): Promise<ClassEmbeddings> {
  const key = JSON.stringify([p.classes, p.templates]);
  const hit = classCache.get(key);
  if (hit) return hit;
  const { model: m } = await current();
  const e = await embedClasses(m, p.classes, p.templates.length ? p.templates : ['{}']);
  if (classCache.size > 8) classCache.delete(classCache.keys().next().value!);
  classCache.set(key, e);
  return e;
}

/** Zero-shot class (argmax cosine) of each normalised row of x. */
function zeroShotPredict(x: Float32Array, c: ClassEmbeddings): Int32Array {
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

function normalised(v: Float32Array): Float32Array {
  let ss = 0;
  for (const x of v) ss += x * x;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  return v.map((x) => x * inv);
}

function hits(r: { index: number; score: number }[]) {
  return r.map((h) => ({ id: ids[h.index], score: h.score }));
}

/** The model's input geometry (resize + crop) as uint8: shifts are applied there, as ImageNet-C does on 224 px crops. */
function modelSized(img: RgbImage, cfg: PreprocessorConfig): RgbImage {
  let cur = img;
  if (cfg.doResize) {
    const t = resizeTarget(img.width, img.height, cfg);
    cur = resizeRgb(cur, t.width, t.height, cfg.resample);
  }
  return cfg.doCenterCrop ? centerCrop(cur, cfg.cropSize.height, cfg.cropSize.width) : cur;
}

const api: ExploreWorkerApi = {
  async embed(req, items, onProgress) {
    const t0 = performance.now();
    onProgress({ stage: 'model', done: 0, total: 1 });
    const cur = await model(req);
    onProgress({ stage: 'model', done: 1, total: 1 });
    const errors: { id: string; error: string }[] = [];
    const got = new Map<string, Float32Array>();
    const key = (hash: string) => ({ model: cur.model.label, dtype: req.dtype, hash });
    let computed = 0;
    const batch = 8;
    for (let s = 0; s < items.length; s += batch) {
      const part = items.slice(s, s + batch);
      const prepared: { item: ExploreItem; hash: string; bytes: Uint8Array | null }[] = [];
      for (const item of part) {
        try {
          if (item.file) {
            const bytes = new Uint8Array(await item.file.arrayBuffer());
            prepared.push({ item, hash: await sha256Hex(bytes), bytes });
          } else if (item.hash) prepared.push({ item, hash: item.hash, bytes: null });
          else errors.push({ id: item.id, error: `${item.name}: the file is no longer available: drop it again` });
        } catch (e) {
          errors.push({ id: item.id, error: `${item.name}: could not read the file (${message(e)})` });
        }
      }
      const cached = await cache.getMany(prepared.map((p) => key(p.hash)));
      const misses: { id: string; hash: string; pixels: Float32Array }[] = [];
      for (let i = 0; i < prepared.length; i++) {
        const p = prepared[i];
        if (cached[i]) {
          got.set(p.item.id, cached[i]!);
          continue;
        }
        if (!p.bytes) {
          errors.push({ id: p.item.id, error: `${p.item.name}: the file is no longer available and its embedding is not cached: drop it again` });
          continue;
        }
        try {
          const img = await decodeImageBrowser(p.bytes, p.item.name);
          misses.push({ id: p.item.id, hash: p.hash, pixels: preprocess(img, cur.pre) });
        } catch (e) {
          errors.push({ id: p.item.id, error: `${p.item.name}: ${message(e)}` });
        }
      }
      if (misses.length) {
        try {
          const out = await cur.model.encodeImages(misses.map((m) => m.pixels));
          const d = cur.model.dim;
          const entries = misses.map((m, i) => ({ key: key(m.hash), value: out.slice(i * d, (i + 1) * d) }));
          entries.forEach((e, i) => got.set(misses[i].id, e.value));
          computed += misses.length;
          await cache.putMany(entries);
        } catch (e) {
          for (const m of misses) errors.push({ id: m.id, error: `the model failed (${message(e)})` });
        }
      }
      onProgress({ stage: 'embed', done: Math.min(items.length, s + batch), total: items.length });
    }
    dim = cur.model.dim;
    ids = items.map((i) => i.id).filter((id) => got.has(id));
    flat = new Float32Array(ids.length * dim);
    ids.forEach((id, i) => flat.set(normalised(got.get(id)!), i * dim));
    index = EmbeddingIndex.from(flat, dim);
    return { ids, errors, dim, computed, seconds: (performance.now() - t0) / 1000, simd: index.usesSimd };
  },

  async search(query, k): Promise<SearchResult> {
    const idx = requireIndex();
    const { vec, ms } = await textEmbedding(query);
    const t0 = performance.now();
    const r = idx.search(vec, k);
    return { hits: hits(r), rankMs: performance.now() - t0, textMs: ms };
  },

  async moreLikeThis(id, k) {
    const idx = requireIndex();
    const i = ids.indexOf(id);
    if (i < 0) throw new Error('this image has no embedding');
    const t0 = performance.now();
    const r = idx.moreLikeThis(i, k);
    return { hits: [{ id, score: 1 }, ...hits(r)], rankMs: performance.now() - t0, textMs: 0 };
  },

  async duplicates(threshold) {
    const idx = requireIndex();
    const t0 = performance.now();
    const groups = idx.nearDuplicateGroups(threshold).map((g) => g.map((i) => ids[i]));
    return { groups, ms: performance.now() - t0 };
  },

  async zeroShot(p): Promise<Predictions> {
    requireIndex();
    const c = await classEmbeddings(p);
    const pred = zeroShotPredict(flat, c);
    return { byId: Object.fromEntries(ids.map((id, i) => [id, pred[i]])), classes: p.classes };
  },

  async probe(req) {
    requireIndex();
    const t0 = performance.now();
    const rows: number[] = [];
    const labels: number[] = [];
    ids.forEach((id, i) => {
      const l = req.labels[id];
      if (l !== undefined && l >= 0) {
        rows.push(i);
        labels.push(l);
      }
    });
    const classCount = req.classes.length;
    const present = new Set(labels);
    if (classCount < 2 || present.size < 2) throw new Error('the probe needs labelled images of at least 2 classes');
    const all = new Int32Array(ids.length).fill(-1);
    rows.forEach((r, k) => (all[r] = labels[k]));
    const data = subset({ x: flat, dim, labels: all }, rows);
    const { train, heldOut } = stratifiedSplit(data.labels, req.heldOutFraction, req.seed, classCount);
    if (!heldOut.length) throw new Error('no held-out images: add more labelled images (at least 2 per class)');
    const curve = shotsCurve(data, train, heldOut, { classCount, l2: req.l2, seed: req.seed });
    const test = subset(data, heldOut);
    const zs = zeroShotPredict(test.x, await classEmbeddings(req));
    const last = curve[curve.length - 1];
    return {
      curve: curve.map((p) => ({ shots: p.shots, trainCount: p.trainCount, accuracy: p.accuracy })),
      zeroShot: accuracy(zs, test.labels),
      trainCount: train.length,
      heldOutCount: heldOut.length,
      head: exportHead(last.head, req.classes, { l2: req.l2, model: (await current()).model.label }),
      seconds: (performance.now() - t0) / 1000,
    };
  },

  async applyHead(json) {
    requireIndex();
    const { head, classes } = importHead(json);
    if (head.dim !== dim) throw new Error(`the head expects ${head.dim}-dimensional embeddings, this model gives ${dim}`);
    const pred = probePredict(head, flat);
    return { byId: Object.fromEntries(ids.map((id, i) => [id, pred[i]])), classes };
  },

  async shiftLab(req, onProgress) {
    const t0 = performance.now();
    shiftCancelled = false;
    const cur = await current();
    const classes = await classEmbeddings(req);
    let head: LinearHead | null = null;
    if (req.head) {
      head = importHead(req.head).head;
      if (head.dim !== dim) throw new Error(`the head expects ${head.dim}-dimensional embeddings, this model gives ${dim}`);
      if (head.classCount !== req.classes.length) head = null;
    }
    const methods: Method[] = head ? ['zeroshot', 'probe'] : ['zeroshot'];
    const sev = [0, ...req.severities];
    const predictions: ShiftResult['predictions'] = { zeroshot: {}, probe: {} };
    for (const m of methods) for (const s of req.shifts) predictions[m][s] = {};
    const errors: { id: string; error: string }[] = [];
    const predict = (x: Float32Array): Record<Method, Int32Array> => ({
      zeroshot: zeroShotPredict(x, classes),
      probe: head ? probePredict(head, x) : new Int32Array(0),
    });
    let done = 0;
    const rowOf = new Map(ids.map((id, i) => [id, i]));
    for (const item of req.items) {
      if (shiftCancelled) break;
      onProgress({ stage: 'shift', done, total: req.items.length, detail: item.name });
      const row = rowOf.get(item.id) ?? -1;
      try {
        if (row < 0) throw new Error('no embedding (see the errors above)');
        if (!item.file) throw new Error('the file is no longer available: drop it again');
        const base = modelSized(await decodeImageBrowser(new Uint8Array(await item.file.arrayBuffer()), item.name), cur.pre);
        const plain = { ...cur.pre, doResize: false, doCenterCrop: false };
        const pixels: Float32Array[] = [];
        for (const s of req.shifts) for (const v of req.severities) pixels.push(preprocess(applyShift(base, s, v, req.seed), plain));
        const shifted = normalisedRows(await cur.model.encodeImages(pixels), dim);
        const clean = predict(flat.subarray(row * dim, (row + 1) * dim));
        const all = predict(shifted);
        for (const m of methods) {
          req.shifts.forEach((s, si) => {
            predictions[m][s][item.id] = sev.map((_, vi) => (vi === 0 ? clean[m][0] : all[m][si * req.severities.length + vi - 1]));
          });
        }
      } catch (e) {
        errors.push({ id: item.id, error: `${item.name}: ${message(e)}` });
      }
      done++;
    }
    onProgress({ stage: 'shift', done, total: req.items.length });
    const acc: ShiftResult['accuracy'] = { zeroshot: {}, probe: {} };
    let labelledCount = 0;
    for (const m of methods) {
      for (const s of req.shifts) {
        const byId = predictions[m][s];
        const labelled = Object.keys(byId).filter((id) => (req.labels[id] ?? -1) >= 0);
        labelledCount = labelled.length;
        acc[m][s] = sev.map((_, vi) => (labelled.length ? labelled.filter((id) => byId[id][vi] === req.labels[id]).length / labelled.length : NaN));
      }
    }
    return {
      shifts: req.shifts,
      severities: sev,
      methods,
      accuracy: acc,
      predictions,
      errors,
      labelledCount,
      seconds: (performance.now() - t0) / 1000,
      cancelled: shiftCancelled,
    };
  },

  cancelShift() {
    shiftCancelled = true;
  },

  async map(req) {
    requireIndex();
    const prompts = req.classes.length ? await classEmbeddings(req) : null;
    const r = embeddingMap(flat, dim, { method: req.method, extra: prompts?.embeds, seed: 0 });
    return { method: r.method, points: Array.from(r.points), prompts: Array.from(r.extra) };
  },
};

function normalisedRows(x: Float32Array, d: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length / d; i++) out.set(normalised(x.subarray(i * d, (i + 1) * d)), i * d);
  return out;
}

Comlink.expose(api);
