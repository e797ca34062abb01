/**
 * The read/decode stage of the embedding pipeline as the browser runs it (src/pipeline/embed-images.ts
 * `prepareBatch` with the browser's reader, decoder, hash, IndexedDB lookup and thumbnails). The
 * decode worker runs it; the CLIP worker runs the same function itself if the decode worker cannot.
 */
import { prepareBatch, type EmbeddingStore, type ImageItem, type Prepared } from '../../src/pipeline/embed-images';
import type { PreprocessorConfig } from '../../src/clip/preprocess';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { MAX_INPUT_BYTES } from '../../src/data/dimensions';
import { sha256Hex } from '../../src/runtime/content-hash';
import { makeThumbnail } from '../../src/runtime/thumbnail';
import { markStorageFull } from '../../src/runtime/storage-full';
import type { EmbeddingCache } from '../../src/runtime/embedding-cache';

/** One input of a batch, as the page gave it (a File is passed by reference between workers). */
export interface PrepareItem {
  name: string;
  file?: Blob;
  hash?: string;
}

export interface PrepareRequest {
  /** index of items[0] in the whole run */
  start: number;
  items: PrepareItem[];
  preprocessor: PreprocessorConfig;
  /** the embedding cache's key: the loaded model and its precision */
  model: string;
  dtype: string;
}

/** Prepared, plus each freshly decoded image's thumbnail (by run index), and whether storage ran out. */
export interface PreparedBatch extends Prepared {
  thumbs: [number, Blob | undefined][];
  storageFull: boolean;
}

/** A dropped file's bytes, refused before reading when it is over the per-input cap. */
export async function readBlob(file: Blob): Promise<Uint8Array> {
  if (file.size > MAX_INPUT_BYTES) throw new Error(`file too large: ${Math.round(file.size / 2 ** 20)} MB, over the ${MAX_INPUT_BYTES / 2 ** 20} MB limit for one input`);
  return new Uint8Array(await file.arrayBuffer());
}

/** The IndexedDB cache as the pipeline's store, per (model, dtype); a full disk is noted, not fatal. */
export function embeddingStore(cache: EmbeddingCache, model: string, dtype: string): EmbeddingStore {
  const key = (hash: string) => ({ model, dtype, hash });
  return {
    async getMany(hashes) {
      const hits = await cache.getMany(hashes.map(key));
      return hits.map((h) => (h === undefined || h instanceof Float32Array ? h : Float32Array.from(h)));
    },
    async putMany(entries) {
      if ((await cache.putMany(entries.map((e) => ({ key: key(e.hash), value: e.embedding })))) === 'full') markStorageFull();
    },
  };
}

/** One batch through `prepareBatch`; thumbnails are made (and stored by hash) while the images are decoded anyway. */
export async function prepareInBrowser(req: PrepareRequest, cache: EmbeddingCache): Promise<PreparedBatch> {
  const items: ImageItem[] = [];
  req.items.forEach((it, k) => (items[req.start + k] = { name: it.name, hash: it.hash, read: it.file ? () => readBlob(it.file!) : undefined }));
  const thumbs = new Map<number, Promise<Blob | undefined>>();
  let full = false;
  const prepared = await prepareBatch(items, req.start, req.start + req.items.length, {
    preprocessor: req.preprocessor,
    decode: (bytes, name) => decodeImageBrowser(bytes, name),
    cache: embeddingStore(cache, req.model, req.dtype),
    hash: (b) => sha256Hex(b as Uint8Array<ArrayBuffer>),
    onDecoded: (index, img, hash) => {
      const keep = async (thumb: Blob | undefined) => {
        if (thumb && hash && (await cache.putThumb(hash, thumb)) === 'full') full = true;
        return thumb;
      };
      thumbs.set(index, makeThumbnail(img).catch(() => undefined).then(keep));
    },
  });
  const made: [number, Blob | undefined][] = [];
  for (const [i, t] of thumbs) made.push([i, await t]);
  return { ...prepared, thumbs: made, storageFull: full };
}
