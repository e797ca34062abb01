/**
 * Which onnxruntime-web backend a browser gets: WebGPU when an adapter exists (fp16 weights when
 * the adapter has `shader-f16`, else fp32), otherwise WASM with 8-bit weights (q8), using every
 * core when the page is cross-origin isolated (SharedArrayBuffer is needed for threads).
 */
export type WebDevice = 'webgpu' | 'wasm';
export type WebDtype = 'fp32' | 'fp16' | 'q8';

export interface GpuProbe {
  /** an adapter was granted */
  webgpu: boolean;
  /** the adapter supports shader-f16 */
  fp16: boolean;
  /** why WebGPU is not usable, when it is not */
  reason?: string;
}

export interface BackendChoice {
  device: WebDevice;
  dtype: WebDtype;
  /** WASM threads (1 when not cross-origin isolated) */
  threads: number;
  /** set when WebGPU was wanted (auto or asked) but is not used */
  fallbackReason?: string;
}

interface GpuLike {
  requestAdapter(): Promise<{ features: { has(f: string): boolean } } | null>;
}

/** Asks for a WebGPU adapter; never throws. */
export async function probeWebGpu(gpu: GpuLike | undefined = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu): Promise<GpuProbe> {
  if (!gpu) return { webgpu: false, fp16: false, reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { webgpu: false, fp16: false, reason: 'no WebGPU adapter on this machine' };
    return { webgpu: true, fp16: adapter.features.has('shader-f16') };
  } catch (e) {
    return { webgpu: false, fp16: false, reason: `requesting a WebGPU adapter failed (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Threads for WASM: every logical core when isolated (threads need SharedArrayBuffer), else 1. */
export function wasmThreads(isolated = globalThis.crossOriginIsolated === true, cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return isolated ? Math.max(1, cores) : 1;
}

export function defaultDtype(device: WebDevice, fp16: boolean): WebDtype {
  return device === 'webgpu' ? (fp16 ? 'fp16' : 'fp32') : 'q8';
}

/**
 * Resolves the user's wishes (`'auto'` or a device/dtype) against what the machine offers.
 * Asking for WebGPU where there is none falls back to WASM, with the reason.
 */
export function chooseBackend(
  probe: GpuProbe,
  want: { device?: WebDevice | 'auto'; dtype?: WebDtype | 'auto' } = {},
  threads = wasmThreads(),
): BackendChoice {
  const wantDevice = want.device ?? 'auto';
  const useGpu = wantDevice !== 'wasm' && probe.webgpu;
  const device: WebDevice = useGpu ? 'webgpu' : 'wasm';
  const dtype = want.dtype && want.dtype !== 'auto' ? want.dtype : defaultDtype(device, probe.fp16);
  const choice: BackendChoice = { device, dtype, threads };
  if (wantDevice !== 'wasm' && !probe.webgpu) choice.fallbackReason = probe.reason ?? 'WebGPU unavailable';
  return choice;
}
