/**
 * Points onnxruntime-web (through transformers.js's env) at the wasm files the site serves
 * itself under `<base>ort/` (copied there by vite.config.ts; no CDN), and sets the thread count.
 */
import { env } from '@huggingface/transformers';
import { ORT_BUILDS, relaxedDotWasm, relaxedWasm } from './ort-files';
import { relaxedDotExact } from './ort-qgemm-probe';
import { hasRelaxedSimd } from './ort-wasm-patch';

/**
 * `siteBase`: the site's root URL (e.g. new URL('./', location.href) of the page).
 * `webgpu`: whether this browser offers a WebGPU adapter. Without one no session can ask for the
 * WebGPU provider, so the worker loads the plain build; with one it keeps the asyncify build, since
 * a worker's ORT loads its wasm once and the same worker runs WebGPU and WASM sessions.
 * `relaxed`: load the build whose SGEMM kernel uses FMA (ort-wasm-patch.ts); only where this
 * browser validates relaxed SIMD (Chrome 114+), ORT's own file elsewhere.
 * `exactDot`: the plain build also gets the lab's QGEMM (ort-qgemm-patch.ts), where this browser's
 * relaxed dot product is exact on unsigned bytes (ort-qgemm-probe.ts: AVX-VNNI CPUs).
 */
export function configureOrt(siteBase: string, threads: number, webgpu = true, relaxed = hasRelaxedSimd(), exactDot = relaxed && !webgpu && relaxedDotExact()): void {
  const onnx = env.backends.onnx as { wasm?: Record<string, unknown>; logLevel?: string };
  const wasm = onnx.wasm;
  if (!wasm) return; // Node: onnxruntime-node, nothing to point at
  const base = new URL('ort/', siteBase).href;
  const build = webgpu ? ORT_BUILDS.webgpu : ORT_BUILDS.cpu;
  // transformers.js caches the .wasm itself (Cache API, offline) and would also swap the .mjs for
  // a blob: URL of a cached copy; the site's Content-Security-Policy allows scripts from 'self'
  // only, so the .mjs stays on its same-origin URL (the service worker caches it for offline use).
  const mjs = base + build.mjs;
  wasm.wasmPaths = {
    wasm: base + (exactDot && !webgpu ? relaxedDotWasm(build.wasm) : relaxed ? relaxedWasm(build.wasm) : build.wasm),
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
