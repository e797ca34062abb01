/**
 * The Explore worker: embeddings of the loaded images, text search, more-like-this, near-duplicates,
 * the linear probe, the distribution-shift lab and the 2-D map. Every embedding comes from the CLIP
 * worker (its model, its IndexedDB cache) over a MessagePort the page hands over: one copy of the
 * model in memory, and the ranking, probe and map math stay off the main thread.
 */
import * as Comlink from 'comlink';
import { EmbeddingIndex } from '../../src/clip/search-rank';
import type { ClassEmbeddings } from '../../src/clip/zeroshot';
import { centerCrop, preprocess, resizeRgb, resizeTarget, type PreprocessorConfig } from '../../src/clip/preprocess';
import { importHead, probePredict, type LinearHead } from '../../src/math/linear-probe';
import { probeJob, TextEmbeddings, zeroShotPredict } from './embedding-jobs';
import { applyShift } from '../../src/clip/shifts';
import { embeddingMap } from '../../src/clip/embed-map';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { ImageInputError, type RgbImage } from '../../src/data/image';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';
import type {
  ClassPrompts,
  ExploreModel,
  ExploreWorkerApi,
  Method,
  Predictions,
  SearchResult,
  ShiftResult,
} from './explore-protocol';

let clip: Comlink.Remote<ClipWorkerApi> | null = null;
/** the model the embeddings below belong to */
let modelKey = '';
let modelLabel = '';

/** Embeddings of the current images, rows L2-normalised, in `ids` order. */
let ids: string[] = [];
let flat: Float32Array = new Float32Array(0);
let dim = 0;
let index: EmbeddingIndex | null = null;
const text = new TextEmbeddings(() => clipApi());
let shiftCancelled = false;

function message(e: unknown): string {
  if (e instanceof ImageInputError) return e.reason;
  if (e instanceof Error) return e.message;
  return String(e);
}

function clipApi(): Comlink.Remote<ClipWorkerApi> {
  if (!clip) throw new Error('no model loaded: load one in the CLIP panel first');
  return clip;
}

function requireIndex(): EmbeddingIndex {
  if (!index || !ids.length) throw new Error('no image embeddings yet');
  return index;
}

const textEmbedding = (q: string) => text.text(q);
const classEmbeddings = (p: ClassPrompts): Promise<ClassEmbeddings> => text.classEmbeddings(p);

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
  attachClip(port) {
    clip = Comlink.wrap<ClipWorkerApi>(port);
  },

  async embed(req: ExploreModel, items, onProgress) {
    const t0 = performance.now();
    const key = JSON.stringify([req.label, req.device, req.dtype]);
    if (key !== modelKey) {
      text.clear();
      modelKey = key;
      modelLabel = req.label;
    }
    onProgress({ stage: 'embed', done: 0, total: items.length });
    const r = await clipApi().imageEmbeddings(
      items.map(({ id, name, file, hash }) => ({ id, name, file, hash })),
      Comlink.proxy((done: number, total: number) => onProgress({ stage: 'embed', done, total })),
    );
    const names = new Map(items.map((i) => [i.id, i.name]));
    const errors = r.errors.map((e) => ({ id: e.id, error: `${names.get(e.id)}: ${e.error}` }));
    dim = r.dim;
    ids = r.ids;
    flat = normalisedRows(r.embeds, dim);
    index = EmbeddingIndex.from(flat, dim);
    return { ids, errors, dim, computed: r.computed, seconds: (performance.now() - t0) / 1000, simd: index.usesSimd };
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
    // the same job as an imported index's probe (embedding-jobs.ts), on these images' rows
    const rowLabels = ids.map((id) => req.labels[id] ?? -1);
    return probeJob(flat, dim, rowLabels, req, text, modelLabel);
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
    const api = clipApi();
    const pre = await api.preprocessorConfig();
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
        const base = modelSized(await decodeImageBrowser(new Uint8Array(await item.file.arrayBuffer()), item.name), pre);
        const plain = { ...pre, doResize: false, doCenterCrop: false };
        const pixels: Float32Array[] = [];
        for (const s of req.shifts) for (const v of req.severities) pixels.push(preprocess(applyShift(base, s, v, req.seed), plain));
        const shifted = normalisedRows(await api.embedPixels(Comlink.transfer(pixels, pixels.map((p) => p.buffer as ArrayBuffer))), dim);
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
