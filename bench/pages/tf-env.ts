// transformers.js settings for the bench: models from the bench server, ORT files from this origin.
import { env } from '@huggingface/transformers';

/**
 * `cache`: use the browser's Cache API (warm runs); off = every file downloaded again (cold).
 * `build`: which wasm transformers.js's ORT loads. Its `onnxruntime-web/webgpu` bundle asks for the
 * asyncify build (WebGPU EP + CPU); for the CPU-only 'wasm' device the plain build is a drop-in.
 */
export function configureTf(threads: number, cache = false, build: 'asyncify' | 'plain' | 'default' = 'default'): void {
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useBrowserCache = cache;
  const wasm = env.backends.onnx.wasm as Record<string, unknown>;
  // Same files as the app (src/runtime/ort-env.ts): the ORT build transformers.js pins, served at /ort/.
  const base = new URL('/ort/', self.location.href).href;
  const name = build === 'plain' ? 'ort-wasm-simd-threaded' : 'ort-wasm-simd-threaded.asyncify';
  wasm.wasmPaths = build === 'default' ? base : { mjs: `${base}${name}.mjs`, wasm: `${base}${name}.wasm` };
  wasm.numThreads = threads;
  wasm.proxy = false;
}

export const hubBase = (): string => new URL('/hub/', self.location.href).href;
