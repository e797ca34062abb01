/**
 * The index worker: reads an embedding index (Parquet part files made by `cli embed`, dropped or fetched
 * from a URL) with parquet-wasm, one part at a time, into ONE store: the EmbeddingIndex's (rows normalised
 * once, in one WebAssembly memory sized up front when the parts' row counts are known, else grown in
 * place), and works on it without recomputing an image: exact search against a query embedded by the CLIP
 * worker's model (over a MessagePort: one copy of the model), near-duplicates, a sampled 2-D map, the
 * linear probe (the explore worker's code, embedding-jobs.ts), and the cosines the hardness panel scores,
 * all reading the index's rows (flatRows: a view, no copy). Paths stay UTF-8 bytes until a row is shown;
 * labels are codes (src/index-store/columns.ts).
 */
import * as Comlink from 'comlink';
import { tableFromIPC } from 'apache-arrow';
import initParquet, { ParquetFile, readParquet } from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { EmbeddingIndex } from '../../src/clip/search-rank';
import { embeddingMap } from '../../src/clip/embed-map';
import { readIndexPart, type IndexPart } from '../../src/index-store/schema';
import { PartedColumn } from '../../src/index-store/columns';
import { indexMismatch } from '../../src/index-store/model-match';
import { sampleRows } from '../../src/index-store/sample';
import { indexUrl, manifestParts } from '../../src/index-store/url';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';
import { DUPLICATES_MAX_ROWS, MAP_SAMPLE_ROWS, type IndexSummary, type IndexWorkerApi } from './index-protocol';
import { probeJob, TextEmbeddings } from './embedding-jobs';

let clip: Comlink.Remote<ClipWorkerApi> | null = null;
let ready: Promise<unknown> | null = null;
/** the rows, normalised as stored: the only copy (the probe, the map and the hardness panel read index.flatRows()) */
let index: EmbeddingIndex | null = null;
let paths = new PartedColumn();
/** each row's label as an index into labelValues, -1 for none */
let labelCodes = new Int32Array(0);
let labelValues: string[] = [];
let modelLabel = '';

function clipApi(): Comlink.Remote<ClipWorkerApi> {
  if (!clip) throw new Error('no model loaded: load one in the CLIP panel first');
  return clip;
}
const text = new TextEmbeddings(clipApi);

function requireIndex(): EmbeddingIndex {
  if (!index || !index.count) throw new Error('no index opened');
  return index;
}

const labelOf = (row: number): string | null => (labelCodes[row] < 0 ? null : labelValues[labelCodes[row]]);

interface PartSource {
  name: string;
  bytes(): Promise<Uint8Array>;
  /** the part's row count from its Parquet footer, read without the rest of the file; null when unknown */
  rows?(): Promise<number | null>;
}

async function fetchBytes(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: the server answered ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`);
  return r;
}

/** A dropped file's row count from its footer (a few small reads of the Blob), or null when it is not readable Parquet. */
async function footerRows(file: Blob): Promise<number | null> {
  try {
    const f = await ParquetFile.fromFile(file);
    try {
      const meta = f.metadata();
      const rows = meta.fileMetadata().numRows();
      meta.free();
      return rows;
    } finally {
      f.free();
    }
  } catch {
    return null; // reading the part says why
  }
}

function readPart(bytes: Uint8Array, name: string): IndexPart {
  try {
    return readIndexPart(tableFromIPC(readParquet(bytes).intoIPCStream()), name);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(why.startsWith(name) ? why : `${name}: not a readable Parquet file (${why})`);
  }
}

/** Reads the parts one at a time; the index in use is replaced only once every part is read and accepted. */
async function openParts(all: PartSource[], loaded: { label: string; dim: number }, from: IndexSummary['from']): Promise<IndexSummary> {
  const t0 = performance.now();
  ready ??= initParquet({ module_or_path: parquetWasmUrl });
  await ready;
  const parts = all.filter((f) => /\.parquet$/i.test(f.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (!parts.length) throw new Error('no .parquet file in what was given');
  // Row counts first where they are cheap (dropped files: their footers), so the storage is sized once
  // and an index too large for it is refused before gigabytes are read.
  const counts = await Promise.all(parts.map((p) => (p.rows ? p.rows() : null)));
  const total = counts.every((c) => c !== null) ? counts.reduce((a, c) => a + c!, 0) : null;
  let next: EmbeddingIndex | null = null;
  if (total !== null) {
    // every accepted part has the loaded model's dimension (indexMismatch); too many rows: refused here, with the reason
    next = new EmbeddingIndex(loaded.dim);
    next.reserve(total);
  }
  const nextPaths = new PartedColumn();
  const codeChunks: Int32Array[] = [];
  const nextValues: string[] = [];
  const valueAt = new Map<string, number>();
  const models = new Set<string>();
  const dtypes = new Set<string>();
  for (const part of parts) {
    const cols = readPart(await part.bytes(), part.name);
    const why = indexMismatch({ models: cols.models, dim: cols.dim }, loaded);
    if (why) throw new Error(`${part.name}: ${why}`);
    next ??= new EmbeddingIndex(cols.dim);
    try {
      for (const chunk of cols.embeddings) next.add(chunk); // normalised once, into the index's storage
    } catch (e) {
      throw new Error(`${part.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    nextPaths.push(cols.path);
    // the part's label codes, renumbered into the index's
    const global = cols.labelValues.map((v) => {
      let c = valueAt.get(v);
      if (c === undefined) valueAt.set(v, (c = nextValues.push(v) - 1));
      return c;
    });
    codeChunks.push(cols.label.map((c) => (c < 0 ? -1 : global[c])));
    cols.models.forEach((m) => models.add(m));
    cols.dtypes.forEach((d) => dtypes.add(d));
  }
  const codes = new Int32Array(nextPaths.length);
  codeChunks.reduce((at, c) => (codes.set(c, at), at + c.length), 0);
  index = next!;
  paths = nextPaths;
  labelCodes = codes;
  labelValues = nextValues;
  modelLabel = loaded.label;
  text.clear();
  const perLabel = new Array<number>(labelValues.length).fill(0);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) perLabel[codes[i]]++;
  return {
    rows: index.count,
    dim: index.dim,
    parts: parts.length,
    models: [...models],
    dtypes: [...dtypes],
    seconds: (performance.now() - t0) / 1000,
    labels: labelValues.map((name, c) => ({ name, rows: perLabel[c] })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    from,
  };
}

/** Class index of each row for `classes` (rows of another label or none: -1). */
function rowClasses(classes: string[]): Int32Array {
  const at = new Map(classes.map((c, i) => [c, i]));
  const byCode = Int32Array.from(labelValues, (v) => at.get(v) ?? -1);
  return labelCodes.map((c) => (c < 0 ? -1 : byCode[c]));
}

const api: IndexWorkerApi = {
  attachClip(port) {
    clip = Comlink.wrap<ClipWorkerApi>(port);
  },

  open(files, loaded) {
    return openParts(
      files.map((f) => ({ name: f.name, bytes: async () => new Uint8Array(await f.file.arrayBuffer()), rows: () => footerRows(f.file) })),
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
    return { hits: ranked.map((r) => ({ row: r.index, path: paths.get(r.index), label: labelOf(r.index), score: r.score })), rankMs, textMs };
  },

  async duplicates(threshold) {
    const idx = requireIndex();
    if (idx.count > DUPLICATES_MAX_ROWS) {
      throw new Error(`near-duplicates compare every pair of rows: ${idx.count} rows is more than ${DUPLICATES_MAX_ROWS} (search still ranks them all)`);
    }
    const t0 = performance.now();
    const groups = idx.nearDuplicateGroups(threshold).map((g) => g.map((i) => paths.get(i)));
    return { groups, ms: performance.now() - t0 };
  },

  async map(req) {
    const idx = requireIndex();
    const dim = idx.dim;
    const rows = sampleRows(idx.count, MAP_SAMPLE_ROWS, req.include, req.seed);
    const x = new Float32Array(rows.length * dim);
    rows.forEach((r, i) => x.set(idx.row(r), i * dim));
    const prompts = req.classes.length ? await text.classEmbeddings(req) : null;
    const m = embeddingMap(x, dim, { method: req.method, extra: prompts?.embeds, seed: 0 });
    return {
      method: m.method,
      rows,
      paths: rows.map((r) => paths.get(r)),
      labels: rows.map((r) => labelOf(r)),
      points: Array.from(m.points),
      prompts: Array.from(m.extra),
      total: idx.count,
    };
  },

  async probe(req) {
    const idx = requireIndex();
    // a view of the index's rows (probeJob copies the labelled rows it trains on before it awaits)
    return probeJob(idx.flatRows(), idx.dim, rowClasses(req.classes), req, text, modelLabel);
  },

  async hardnessData(prompts) {
    const idx = requireIndex();
    const dim = idx.dim;
    const c = await text.classEmbeddings(prompts);
    const C = c.labels.length;
    const n = idx.count;
    const flat = idx.flatRows(); // taken after the await: a view of the rows as stored now
    const cosines = new Float64Array(n * C);
    for (let i = 0; i < n; i++) {
      const o = i * dim;
      for (let k = 0; k < C; k++) {
        const e = k * dim;
        let s = 0;
        for (let j = 0; j < dim; j++) s += flat[o + j] * c.embeds[e + j];
        cosines[i * C + k] = s;
      }
    }
    // The features leave this worker (transferred, then handed on to the hardness worker once): a copy,
    // since the index keeps its rows. One copy, never a second one per analysis.
    const features = idx.flatRowsAreView ? flat.slice() : flat;
    const labels = Array.from(labelCodes, (code) => (code < 0 ? null : labelValues[code]));
    return Comlink.transfer({ paths: paths.toArray(), labels, dim, features, cosines }, [features.buffer, cosines.buffer]);
  },
};

Comlink.expose(api);
