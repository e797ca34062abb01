/**
 * Points onnxruntime-web (through transformers.js's env) at the wasm files the site serves
 * itself under `<base>ort/` (copied there by vite.config.ts; no CDN), and sets the thread count.
 */
import { env } from '@huggingface/transformers';

export const ORT_WASM_FILES = {
  mjs: 'ort-wasm-simd-threaded.asyncify.mjs',
  wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
} as const;

/** `siteBase`: the site's root URL (e.g. new URL('./', location.href) of the page). */
export function configureOrt(siteBase: string, threads: number): void {
  const onnx = env.backends.onnx as { wasm?: Record<string, unknown>; logLevel?: string };
  const wasm = onnx.wasm;
  if (!wasm) return; // Node: onnxruntime-node, nothing to point at
  const base = new URL('ort/', siteBase).href;
  // transformers.js caches the .wasm itself (Cache API, offline) and would also swap the .mjs for
  // a blob: URL of a cached copy; the site's Content-Security-Policy allows scripts from 'self'
  // only, so the .mjs stays on its same-origin URL (the service worker caches it for offline use).
  const mjs = base + ORT_WASM_FILES.mjs;
  wasm.wasmPaths = {
    wasm: base + ORT_WASM_FILES.wasm,
    get mjs() {
      return mjs;
    },
    set mjs(_blobUrl: string) {
      /* kept same-origin, see above */
    },
  };
  wasm.numThreads = threads;
  // We already run in a worker: no second proxy worker.
  wasm.proxy = false;
}
