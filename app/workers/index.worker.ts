/**
 * The index worker: reads an embedding index (Parquet part files made by `cli embed`) with
 * parquet-wasm, one part at a time into one flat, normalised array, and ranks it exactly against a
 * query embedded by the CLIP worker's model (over a MessagePort: one copy of the model).
 */
import * as Comlink from 'comlink';
import { tableFromIPC } from 'apache-arrow';
import initParquet, { readParquet } from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { EmbeddingIndex } from '../../src/clip/search-rank';
import { readIndexTable } from '../../src/index-store/schema';
import { indexMismatch } from '../../src/index-store/model-match';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';
import type { IndexWorkerApi } from './index-protocol';

let clip: Comlink.Remote<ClipWorkerApi> | null = null;
let ready: Promise<unknown> | null = null;
let index: EmbeddingIndex | null = null;
let paths: string[] = [];
let labels: (string | null)[] = [];
const textCache = new Map<string, Float32Array>();

const api: IndexWorkerApi = {
  attachClip(port) {
    clip = Comlink.wrap<ClipWorkerApi>(port);
  },

  async open(files, loaded) {
    const t0 = performance.now();
    ready ??= initParquet({ module_or_path: parquetWasmUrl });
    await ready;
    const parts = files.filter((f) => /\.parquet$/i.test(f.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (!parts.length) throw new Error('no .parquet file in what was dropped');
    let next: EmbeddingIndex | null = null;
    const nextPaths: string[] = [];
    const nextLabels: (string | null)[] = [];
    const models = new Set<string>();
    const dtypes = new Set<string>();
    for (const part of parts) {
      let cols;
      try {
        const bytes = new Uint8Array(await part.file.arrayBuffer());
        cols = readIndexTable(tableFromIPC(readParquet(bytes).intoIPCStream()), part.name);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new Error(why.startsWith(part.name) ? why : `${part.name}: not a readable Parquet file (${why})`);
      }
      const why = indexMismatch({ models: [...new Set(cols.model)], dim: cols.dim }, loaded);
      if (why) throw new Error(`${part.name}: ${why}`);
      next ??= new EmbeddingIndex(cols.dim);
      next.add(cols.embeddings);
      nextPaths.push(...cols.path);
      nextLabels.push(...cols.label);
      cols.model.forEach((m) => models.add(m));
      cols.dtype.forEach((d) => dtypes.add(d));
    }
    // Replaced only once every part is read and accepted: a refused index leaves the previous one.
    index = next;
    paths = nextPaths;
    labels = nextLabels;
    textCache.clear();
    return { rows: paths.length, dim: index!.dim, parts: parts.length, models: [...models], dtypes: [...dtypes], seconds: (performance.now() - t0) / 1000 };
  },

  async search(query, k) {
    if (!index || !paths.length) throw new Error('no index opened');
    if (!clip) throw new Error('no model loaded: load one in the CLIP panel first');
    let vec = textCache.get(query);
    let textMs = 0;
    if (!vec) {
      const t = performance.now();
      vec = (await clip.embedTexts([query])).embeds;
      textMs = performance.now() - t;
      if (textCache.size > 200) textCache.delete(textCache.keys().next().value!);
      textCache.set(query, vec);
    }
    const t1 = performance.now();
    const ranked = index.search(vec, k);
    const rankMs = performance.now() - t1;
    return { hits: ranked.map((r) => ({ path: paths[r.index], label: labels[r.index], score: r.score })), rankMs, textMs };
  },
};

Comlink.expose(api);
