/**
 * TF.js backends in the browser worker: which ones this browser offers, which one "auto" picks, and the WASM
 * binaries served from the site's own origin (Vite copies them into the build through these `?url` imports,
 * so no CDN is contacted and the lab works offline).
 */
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { configureWasmThreads, defaultWasmThreads, useBackend } from '../../src/bnonly/backend';
import type { ActualBackend, BackendInfo, BackendPick } from './bnonly-protocol';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/*
 * Multithreaded WASM when the page is cross-origin isolated (up to 4 threads; activateBackend reports the count), else the
 * single-threaded SIMD build. Set before TF.js starts; see configureWasmThreads for the why.
 * Nothing else in this worker reads navigator.hardwareConcurrency, which that call may raise.
 */
configureWasmThreads(defaultWasmThreads());

const SOFTWARE = /swiftshader|llvmpipe|software|basic render/i;

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
}

async function probeWebGpu(): Promise<{ ok: boolean; software: boolean; reason?: string }> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  if (!gpu) return { ok: false, software: false, reason: 'no-api' };
  try {
    const a = await gpu.requestAdapter();
    if (!a) return { ok: false, software: false, reason: 'no-adapter' };
    const desc = `${a.info?.vendor ?? ''} ${a.info?.architecture ?? ''} ${a.info?.description ?? ''}`;
    return { ok: true, software: a.isFallbackAdapter === true || SOFTWARE.test(desc) };
  } catch (e) {
    return { ok: false, software: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

function probeWebGl(): { ok: boolean; software: boolean; reason?: string } {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { ok: false, software: false, reason: 'no-api' };
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return { ok: false, software: false, reason: 'no-context' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : '';
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { ok: true, software: SOFTWARE.test(renderer) };
  } catch (e) {
    return { ok: false, software: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

let cached: Promise<BackendInfo> | null = null;

/**
 * Auto prefers a hardware GPU (WebGPU, then WebGL), else WASM: a software GPU adapter (SwiftShader, llvmpipe)
 * is far slower than WASM, so it is offered but never picked automatically. `cpu` (plain JS) is offered as
 * the last resort only.
 */
export function backendInfo(): Promise<BackendInfo> {
  cached ??= (async () => {
    const available: ActualBackend[] = [];
    const missing: BackendInfo['missing'] = {};
    const gpu = await probeWebGpu();
    const gl = probeWebGl();
    if (gpu.ok) available.push('webgpu');
    else missing.webgpu = gpu.reason;
    if (gl.ok) available.push('webgl');
    else missing.webgl = gl.reason;
    if (typeof WebAssembly === 'object') available.push('wasm');
    else missing.wasm = 'no-api';
    available.push('cpu');
    const auto: ActualBackend =
      gpu.ok && !gpu.software ? 'webgpu' : gl.ok && !gl.software ? 'webgl' : available.includes('wasm') ? 'wasm' : 'cpu';
    return { available, missing, auto };
  })();
  return cached;
}

/**
 * Switches TF.js to the wanted backend; falls back to auto's choice with a note when it cannot start.
 * `threads`: XNNPACK threads when the backend is wasm (for the UI to show beside the backend name).
 */
export async function activateBackend(want: BackendPick): Promise<{ backend: ActualBackend; note?: string; threads?: number }> {
  const info = await backendInfo();
  const target = want === 'auto' ? info.auto : want;
  const withThreads = (backend: ActualBackend) => (backend === 'wasm' ? { backend, threads: getThreadsCount() } : { backend });
  try {
    return withThreads((await useBackend(target)) as ActualBackend);
  } catch (e) {
    const fallback = target === 'wasm' ? 'cpu' : 'wasm';
    const reason = e instanceof Error ? e.message : String(e);
    return { ...withThreads((await useBackend(fallback)) as ActualBackend), note: `${target} failed (${reason}); using ${fallback}` };
  }
}
