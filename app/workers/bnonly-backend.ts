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
import { trainingProbe } from '../../src/bnonly/gpu-check';
import { TRAINING_TOLERANCE, type GpuCheckForce } from '../../src/runtime/gpu-check';
import { forgetVerdicts, trustGpu, type TrustOutcome } from './gpu-trust';
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

/** The trainer's self-check: one fixed training step on WebGPU and on WASM (src/bnonly/gpu-check.ts). */
export const BN_GPU_CHECK = 'bnonly-train';

/** Runs (or recalls) the self-check; leaves TF.js on whichever backend ran last. `recheck` forgets the verdict first. */
export async function checkWebGpu(force?: GpuCheckForce, recheck = false): Promise<TrustOutcome> {
  if (recheck) await forgetVerdicts(BN_GPU_CHECK);
  return trustGpu(
    BN_GPU_CHECK,
    TRAINING_TOLERANCE,
    async () => (await useBackend('webgpu'), trainingProbe()),
    async () => (await useBackend('wasm'), trainingProbe()),
    force,
  );
}

/**
 * Switches TF.js to the wanted backend; falls back to auto's choice with a note when it cannot start.
 * `threads`: XNNPACK threads when the backend is wasm (for the UI to show beside the backend name).
 * WebGPU (asked for or picked by auto) is used only once it passed the self-check on this adapter
 * (`checkWebGpu`); otherwise WASM, and `gpuCheck` says why.
 */
export async function activateBackend(
  want: BackendPick,
  force?: GpuCheckForce,
): Promise<{ backend: ActualBackend; note?: string; threads?: number; gpuCheck?: TrustOutcome }> {
  const info = await backendInfo();
  let target = want === 'auto' ? info.auto : want;
  let gpuCheck: TrustOutcome | undefined;
  if (target === 'webgpu') {
    gpuCheck = await checkWebGpu(force);
    if (!gpuCheck.ok) target = 'wasm';
  }
  const withThreads = (backend: ActualBackend) => ({ ...(backend === 'wasm' ? { backend, threads: getThreadsCount() } : { backend }), gpuCheck });
  try {
    return withThreads((await useBackend(target)) as ActualBackend);
  } catch (e) {
    const fallback = target === 'wasm' ? 'cpu' : 'wasm';
    const reason = e instanceof Error ? e.message : String(e);
    return { ...withThreads((await useBackend(fallback)) as ActualBackend), note: `${target} failed (${reason}); using ${fallback}` };
  }
}
