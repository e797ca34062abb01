/**
 * The CLIP worker's second image encoder (src/pipeline/encoder-pool.ts): the loaded model's vision
 * encoder alone, on WASM with the same ONNX Runtime build and thread count as the CLIP worker's own
 * session, so that its embeddings are the same bits. Started by the CLIP worker after a WASM load
 * (app/workers/encoder-client.ts); the files come from the browser's model cache.
 */
import * as Comlink from 'comlink';
import { loadImageEncoder, type ImageEncoder } from '../../src/models';
import { configureOrt } from '../../src/runtime/ort-env';
import type { ModelSource } from '../../src/runtime/model-source';
import type { WebDtype } from '../../src/runtime/backend';

export interface EncoderLoad {
  source: ModelSource;
  dtype: WebDtype;
  siteBase: string;
  network?: { stallMs?: number; retries?: number; baseDelayMs?: number };
  threads: number;
  /** the CLIP worker's ORT build: the asyncify one where the browser has a WebGPU adapter */
  webgpuBuild: boolean;
  /** test hook (`?crashEncoderAfter=N`): the worker dies with an uncaught error on its (N+1)th batch */
  crashAfter?: number;
}

export interface EncoderWorkerApi {
  load(req: EncoderLoad): Promise<void>;
  encode(pixels: Float32Array[]): Promise<Float32Array>;
}

let encoder: ImageEncoder | null = null;
let crashAfter = Infinity;
let batches = 0;

const api: EncoderWorkerApi = {
  async load(req) {
    configureOrt(req.siteBase, req.threads, req.webgpuBuild);
    const e = await loadImageEncoder(req.source, { device: 'wasm', dtype: req.dtype, network: req.network });
    // One image through it before it joins: a fresh session's first inference is several times slower.
    await e.encodeImages(new Float32Array(3 * e.imageSize * e.imageSize), 1);
    encoder = e;
    crashAfter = req.crashAfter ?? Infinity;
  },
  async encode(pixels) {
    if (!encoder) throw new Error('no model loaded');
    if (batches++ >= crashAfter) {
      setTimeout(() => {
        throw new Error('simulated crash of the second encoder');
      });
      return new Promise<Float32Array>(() => undefined);
    }
    const out = await encoder.encodeImages(pixels, pixels.length);
    return Comlink.transfer(out, [out.buffer]);
  },
};

Comlink.expose(api);
