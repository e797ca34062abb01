/**
 * The index worker: reads an embedding index (Parquet part files made by `cli embed`, dropped or fetched
 * from a URL) with parquet-wasm, one part at a time into one flat, normalised array, and works on it
 * without recomputing an image: exact search against a query embedded by the CLIP worker's model (over
 * a MessagePort: one copy of the model), near-duplicates, a sampled 2-D map, the linear probe (the
 * explore worker's code, embedding-jobs.ts), and the cosines the hardness panel scores.
 */
import * as Comlink from 'comlink';
import { tableFromIPC } from 'apache-arrow';
import initParquet, { readParquet } from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { EmbeddingIndex } from '../../src/clip/search-rank';
import { embeddingMap } from '../../src/clip/embed-map';
import { readIndexTable } from '../../src/index-store/schema';
import { indexMismatch } from '../../src/index-store/model-match';
import { sampleRows } from '../../src/index-store/sample';
import { indexUrl, manifestParts } from '../../src/index-store/url';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';
import { DUPLICATES_MAX_ROWS, MAP_SAMPLE_ROWS, type IndexSummary, type IndexWorkerApi } from './index-protocol';
import { probeJob, TextEmbeddings } from './embedding-jobs';

let clip: Comlink.Remote<ClipWorkerApi> | null = null;
let ready: Promise<unknown> | null = null;
let index: EmbeddingIndex | null = null;
let paths: string[] = [];
let labels: (string | null)[] = [];
/** the rows, normalised as stored, row-major (what the probe, the map and the hardness panel read) */
let flat = new Float32Array(0);
let modelLabel = '';

function clipApi(): Comlink.Remote<ClipWorkerApi> {
  if (!clip) throw new Error('no model loaded: load one in the CLIP panel first');
  return clip;
}
const text = new TextEmbeddings(clipApi);

function requireIndex(): EmbeddingIndex {
  if (!index || !paths.length) throw new Error('no index opened');
  return index;
}

interface PartSource {
  name: string;
  bytes(): Promise<Uint8Array>;
}

async function fetchBytes(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: the server answered ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`);
  return r;
}

/** Reads the parts one at a time; the index in use is replaced only once every part is read and accepted. */
async function openParts(all: PartSource[], loaded: { label: string; dim: number }, from: IndexSummary['from']): Promise<IndexSummary> {
  const t0 = performance.now();
  ready ??= initParquet({ module_or_path: parquetWasmUrl });
  await ready;
  const parts = all.filter((f) => /\.parquet$/i.test(f.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (!parts.length) throw new Error('no .parquet file in what was given');
  let next: EmbeddingIndex | null = null;
  const nextPaths: string[] = [];
  const nextLabels: (string | null)[] = [];
  const models = new Set<string>();
  const dtypes = new Set<string>();
  const chunks: Float32Array[] = [];
  for (const part of parts) {
    const bytes = await part.bytes();
    let cols;
    try {
      cols = readIndexTable(tableFromIPC(readParquet(bytes).intoIPCStream()), part.name);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(why.startsWith(part.name) ? why : `${part.name}: not a readable Parquet file (${why})`);
    }
    const why = indexMismatch({ models: [...new Set(cols.model)], dim: cols.dim }, loaded);
    if (why) throw new Error(`${part.name}: ${why}`);
    next ??= new EmbeddingIndex(cols.dim);
    next.add(cols.embeddings);
    chunks.push(normalisedRows(cols.embeddings, cols.dim));
    nextPaths.push(...cols.path);
    nextLabels.push(...cols.label);
    cols.model.forEach((m) => models.add(m));
    cols.dtype.forEach((d) => dtypes.add(d));
  }
  index = next!;
  paths = nextPaths;
  labels = nextLabels;
  flat = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
  chunks.reduce((at, c) => (flat.set(c, at), at + c.length), 0);
  modelLabel = loaded.label;
  text.clear();
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  return {
    rows: paths.length,
    dim: index.dim,
    parts: parts.length,
    models: [...models],
    dtypes: [...dtypes],
    seconds: (performance.now() - t0) / 1000,
    labels: [...counts].map(([name, rows]) => ({ name, rows })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    from,
  };
}

/** Rows L2-normalised (stored normalised already: this only removes the float32 rounding of the write). */
function normalisedRows(x: Float32Array, d: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length / d; i++) {
    let ss = 0;
    for (let j = 0; j < d; j++) ss += x[i * d + j] * x[i * d + j];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let j = 0; j < d; j++) out[i * d + j] = x[i * d + j] * inv;
  }
  return out;
}

/** Class index of each row for `classes` (rows of another label or none: -1). */
function rowClasses(classes: string[]): Int32Array {
  const at = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(labels, (l) => (l === null ? -1 : (at.get(l) ?? -1)));
}

const api: IndexWorkerApi = {
  attachClip(port) {
    clip = Comlink.wrap<ClipWorkerApi>(port);
  },

  open(files, loaded) {
    return openParts(
      files.map((f) => ({ name: f.name, bytes: async () => new Uint8Array(await f.file.arrayBuffer()) })),
      loaded,
      'files',
    );
  },

  async openUrl(url, loaded) {
    const where = indexUrl(url);
    let parts: { url: string; name: string }[];
    if (where.kind === 'parquet') parts = [where];
    else {
      const r = await fetch(where.url);
      if (r.status === 404) throw new Error(`no _manifest.json at ${where.url} (give a .parquet file URL, or the folder of an index written by embed)`);
      if (!r.ok) throw new Error(`${where.url}: the server answered ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`);
      let json: unknown;
      try {
        json = await r.json();
      } catch (e) {
        throw new Error(`${where.url} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      parts = manifestParts(where.url, json);
    }
    return openParts(
      parts.map((p) => ({ name: p.name, bytes: async () => new Uint8Array(await (await fetchBytes(p.url)).arrayBuffer()) })),
      loaded,
      'url',
    );
  },

  async search(query, k) {
    const idx = requireIndex();
    const { vec, ms: textMs } = await text.text(query);
    const t1 = performance.now();
    const ranked = idx.search(vec, k);
    const rankMs = performance.now() - t1;
    return { hits: ranked.map((r) => ({ row: r.index, path: paths[r.index], label: labels[r.index], score: r.score })), rankMs, textMs };
  },

  async duplicates(threshold) {
    const idx = requireIndex();
    if (paths.length > DUPLICATES_MAX_ROWS) {
      throw new Error(`near-duplicates compare every pair of rows: ${paths.length} rows is more than ${DUPLICATES_MAX_ROWS} (search still ranks them all)`);
    }
    const t0 = performance.now();
    const groups = idx.nearDuplicateGroups(threshold).map((g) => g.map((i) => paths[i]));
    return { groups, ms: performance.now() - t0 };
  },

  async map(req) {
    requireIndex();
    const dim = index!.dim;
    const rows = sampleRows(paths.length, MAP_SAMPLE_ROWS, req.include, req.seed);
    const x = new Float32Array(rows.length * dim);
    rows.forEach((r, i) => x.set(flat.subarray(r * dim, (r + 1) * dim), i * dim));
    const prompts = req.classes.length ? await text.classEmbeddings(req) : null;
    const m = embeddingMap(x, dim, { method: req.method, extra: prompts?.embeds, seed: 0 });
    return {
      method: m.method,
      rows,
      paths: rows.map((r) => paths[r]),
      labels: rows.map((r) => labels[r]),
      points: Array.from(m.points),
      prompts: Array.from(m.extra),
      total: paths.length,
    };
  },

  async probe(req) {
    requireIndex();
    return probeJob(flat, index!.dim, rowClasses(req.classes), req, text, modelLabel);
  },

  async hardnessData(prompts) {
    requireIndex();
    const dim = index!.dim;
    const c = await text.classEmbeddings(prompts);
    const C = c.labels.length;
    const n = paths.length;
    const cosines = new Float64Array(n * C);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < C; k++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += flat[i * dim + j] * c.embeds[k * dim + j];
        cosines[i * C + k] = s;
      }
    }
    const features = flat.slice();
    return Comlink.transfer({ paths, labels, dim, features, cosines }, [features.buffer, cosines.buffer]);
  },
};

Comlink.expose(api);
