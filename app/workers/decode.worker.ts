/**
 * The decode worker, started by the CLIP worker: reads, hashes, looks up and decodes the next batch
 * (app/workers/image-prepare.ts) while the CLIP worker's thread is inside onnxruntime-web, which
 * computes on its caller's thread and would otherwise leave this work waiting for each batch to end.
 */
import * as Comlink from 'comlink';
import { EmbeddingCache } from '../../src/runtime/embedding-cache';
import { simulateQuota } from '../../src/runtime/storage-full';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { preprocess, type PreprocessorConfig } from '../../src/clip/preprocess';
import { makeThumbnail } from '../../src/runtime/thumbnail';
import { prepareInBrowser, type PrepareRequest, type PreparedBatch } from './image-prepare';

const cache = new EmbeddingCache();

export interface DecodeWorkerApi {
  prepare(req: PrepareRequest): Promise<PreparedBatch>;
  /** test hook `?simulateQuota=1`: this worker's storage writes fail too */
  simulateQuota(): void;
  /** one small JPEG made here, decoded, preprocessed and thumbnailed: the first image of a run then costs what the others do */
  warm(preprocessor: PreprocessorConfig): Promise<void>;
}

const api: DecodeWorkerApi = {
  async prepare(req) {
    const out = await prepareInBrowser(req, cache);
    return Comlink.transfer(out, out.misses.map((m) => m.pixels.buffer));
  },
  simulateQuota,
  async warm(preprocessor) {
    if (typeof OffscreenCanvas === 'undefined') return;
    const canvas = new OffscreenCanvas(64, 48);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#4a7';
    ctx.fillRect(0, 0, 64, 48);
    const jpeg = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg' })).arrayBuffer());
    const img = await decodeImageBrowser(jpeg, 'warm-up.jpg');
    preprocess(img, preprocessor);
    await makeThumbnail(img);
  },
};

Comlink.expose(api);
