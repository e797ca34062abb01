// transformers.js settings for the bench: models from the bench server, ORT files from this origin.
import { env } from '@huggingface/transformers';

/** `cache`: use the browser's Cache API (warm runs); off = every file downloaded again (cold). */
export function configureTf(threads: number, cache = false): void {
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useBrowserCache = cache;
  const wasm = env.backends.onnx.wasm as Record<string, unknown>;
  // Same files as the app (src/runtime/ort-env.ts): the ORT build transformers.js pins, served at /ort/.
  wasm.wasmPaths = new URL('/ort/', self.location.href).href;
  wasm.numThreads = threads;
  wasm.proxy = false;
}

export const hubBase = (): string => new URL('/hub/', self.location.href).href;
