/**
 * THE embedding pipeline: input items in, per-item embedding or per-item error out. The CLIP
 * worker, the CLI (classify, search) and the bench all call `embedImages`; only the reader, the
 * decoder and the cache differ per platform.
 *
 * Per item: read bytes -> (hash -> cache lookup) -> decode -> preprocess (the model's own
 * processor, PIL-exact) -> batched encoder call -> (cache store). Failures are values:
 * - a file that cannot be read or decoded fails alone, with the reason;
 * - a model error on a batch fails that batch's images with "the model failed (...)" and the run
 *   goes on (one odd batch must not lose a thousand results);
 * - an error that `isFatal` accepts (a lost WebGPU device: this worker's ONNX Runtime is then
 *   broken for good) ends the run: the page starts a fresh worker on WASM and runs again, finished
 *   images coming back from the cache (see src/runtime/gpu-lost.ts).
 * Decoding runs one batch ahead of the encoder: while batch k is in the model, batch k+1 is read and
 * decoded. In Node onnxruntime runs off the JS thread, so this thread can do it; in the browser
 * onnxruntime-web computes ON the calling worker's thread (its own threads only help), so the CLIP
 * worker hands this stage (`prepareBatch`) to a decode worker through `opts.prepare`.
 */
import type { RgbImage } from '../data/image';
import { ImageInputError } from '../data/image';
import { loadPreprocessorConfig, preprocess, type PreprocessorConfig } from '../clip/preprocess';
import type { ImageTextModel } from '../models/model';

export interface ImageItem {
  /** file name or path: decoders use it to name the file in errors */
  name: string;
  /** the file's bytes; absent for an item known by its hash only (its embedding must be cached) */
  read?: () => Promise<Uint8Array>;
  /** content hash, when the caller already knows it */
  hash?: string;
  /** an error found before the pipeline (e.g. an unreadable folder): the item fails with it */
  error?: string;
}

export type EmbedResult =
  | { index: number; ok: true; embedding: Float32Array; hash?: string; cached: boolean }
  | { index: number; ok: false; error: string; hash?: string };

/** Embeddings keyed by content hash (IndexedDB in the browser; any store elsewhere). */
export interface EmbeddingStore {
  getMany(hashes: string[]): Promise<(Float32Array | undefined)[]>;
  putMany(entries: { hash: string; embedding: Float32Array }[]): Promise<void>;
}

export interface EmbedOptions {
  model: Pick<ImageTextModel, 'dim' | 'preprocessorConfig' | 'encodeImages'>;
  decode: (bytes: Uint8Array, name: string) => Promise<RgbImage>;
  batchSize?: number;
  signal?: AbortSignal;
  /** with `hash`: embeddings found there are not recomputed, new ones are stored */
  cache?: EmbeddingStore;
  hash?: (bytes: Uint8Array) => Promise<string>;
  /** the encoder call (default: model.encodeImages); the worker wraps it in its model queue */
  encode?: (pixels: Float32Array[]) => Promise<Float32Array>;
  /** errors that end the whole run instead of failing one batch */
  isFatal?: (e: unknown) => boolean;
  /** a freshly decoded image (e.g. for a thumbnail) */
  onDecoded?: (index: number, image: RgbImage, hash: string | undefined) => void;
  /**
   * Runs the read/decode stage of items [start, end) elsewhere (it must do what `prepareBatch` does,
   * e.g. by calling it in another worker); default: `prepareBatch` here, with the options above.
   */
  prepare?: (start: number, end: number) => Promise<Prepared>;
  /** each batch's results, in input order, as soon as they exist; awaited */
  onBatch?: (results: EmbedResult[], done: number, total: number) => void | Promise<void>;
}

export interface EmbedSummary {
  done: number;
  total: number;
  errors: number;
  /** embeddings computed now (the rest came from the cache) */
  computed: number;
  cancelled: boolean;
}

/** The reason a read or decode failed, for a person. */
export function inputError(e: unknown): string {
  if (e instanceof ImageInputError) return e.reason;
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a folder, not an image';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** A read failure: Node's error codes and the CLI's input checks say it plainly; anything else is wrapped. */
function readError(e: unknown): string {
  const known = ['ENOENT', 'EISDIR', 'EACCES', 'ENOTREG', 'EFBIG'].includes((e as { code?: string } | null)?.code ?? '');
  return known ? inputError(e) : `could not read the file (${inputError(e)})`;
}

/** One batch read, looked up and decoded: cached or failed items as results, the rest as model input. */
export interface Prepared {
  results: EmbedResult[];
  misses: { index: number; hash?: string; pixels: Float32Array }[];
}

/** What reading and decoding a batch needs (a subset of EmbedOptions: it may run on another thread). */
export type PrepareOptions = Pick<EmbedOptions, 'decode' | 'cache' | 'hash' | 'onDecoded'> & { preprocessor: PreprocessorConfig };

/**
 * Reads, hashes, looks up and decodes items [start, end): the stage that runs one batch ahead of the
 * encoder. `embedImages` runs it itself, or hands it to `opts.prepare` (the browser's decode worker,
 * whose thread is not blocked while onnxruntime-web computes on the CLIP worker's).
 */
export async function prepareBatch(items: readonly ImageItem[], start: number, end: number, o: PrepareOptions): Promise<Prepared> {
  const { cache } = o;
  const hash = cache ? o.hash : undefined;
  if (cache && !hash) throw new Error('embedImages: a cache needs a hash function');
  const results: EmbedResult[] = [];
  const read: { index: number; bytes?: Uint8Array; hash?: string }[] = [];
  for (let index = start; index < Math.min(items.length, end); index++) {
    const it = items[index];
    if (it.error) results.push({ index, ok: false, error: it.error, hash: it.hash });
    else if (!it.read) {
      if (it.hash && cache) read.push({ index, hash: it.hash });
      else results.push({ index, ok: false, error: 'the file is no longer available: drop it again', hash: it.hash });
    } else {
      try {
        const bytes = await it.read();
        read.push({ index, bytes, hash: it.hash ?? (hash ? await hash(bytes) : undefined) });
      } catch (e) {
        results.push({ index, ok: false, error: readError(e) });
      }
    }
  }
  const hits = cache ? await cache.getMany(read.map((r) => r.hash!)) : [];
  const misses: Prepared['misses'] = [];
  for (let k = 0; k < read.length; k++) {
    const { index, bytes, hash: h } = read[k];
    if (hits[k]) results.push({ index, ok: true, embedding: hits[k]!, hash: h, cached: true });
    else if (!bytes) results.push({ index, ok: false, hash: h, error: 'the file is no longer available and its embedding is not cached: drop it again' });
    else {
      try {
        const img = await o.decode(bytes, items[index].name);
        const pixels = preprocess(img, o.preprocessor);
        o.onDecoded?.(index, img, h);
        misses.push({ index, hash: h, pixels });
      } catch (e) {
        results.push({ index, ok: false, hash: h, error: inputError(e) });
      }
    }
  }
  return { results, misses };
}

export async function embedImages(items: readonly ImageItem[], opts: EmbedOptions): Promise<EmbedSummary> {
  const { model, cache, signal } = opts;
  if (cache && !opts.hash) throw new Error('embedImages: a cache needs a hash function');
  const preprocessor = loadPreprocessorConfig(model.preprocessorConfig);
  const batchSize = Math.max(1, opts.batchSize ?? 8);
  const encode = opts.encode ?? ((px: Float32Array[]) => model.encodeImages(px, px.length));
  const total = items.length;
  const prepare = (start: number): Promise<Prepared> =>
    opts.prepare ? opts.prepare(start, Math.min(total, start + batchSize)) : prepareBatch(items, start, start + batchSize, { ...opts, preprocessor });

  let done = 0;
  let errors = 0;
  let computed = 0;
  const saves: Promise<void>[] = [];
  let next: Promise<Prepared> | null = total > 0 ? prepare(0) : null;
  for (let start = 0; next && !signal?.aborted; start += batchSize) {
    const { results, misses } = await next;
    next = start + batchSize < total ? prepare(start + batchSize) : null;
    if (misses.length) {
      try {
        const fresh = await encode(misses.map((m) => m.pixels));
        const out = misses.map((m, k) => ({ m, embedding: fresh.slice(k * model.dim, (k + 1) * model.dim) }));
        // Stored while the next batch runs; awaited before the run returns (a write error is the store's to report).
        if (cache) saves.push(cache.putMany(out.filter((o) => o.m.hash).map((o) => ({ hash: o.m.hash!, embedding: o.embedding }))).catch(() => undefined));
        for (const o of out) results.push({ index: o.m.index, ok: true, embedding: o.embedding, hash: o.m.hash, cached: false });
        computed += misses.length;
      } catch (e) {
        if (opts.isFatal?.(e)) {
          await next?.catch(() => undefined);
          throw e;
        }
        const why = e instanceof Error ? e.message : String(e);
        for (const m of misses) results.push({ index: m.index, ok: false, hash: m.hash, error: `the model failed (${why})` });
      }
    }
    results.sort((a, b) => a.index - b.index);
    done += results.length;
    errors += results.filter((r) => !r.ok).length;
    await opts.onBatch?.(results, done, total);
  }
  await next?.catch(() => undefined);
  await Promise.all(saves);
  return { done, total, errors, computed, cancelled: !!signal?.aborted && done < total };
}
