/**
 * The model-loading half of a model worker's API, the same for the CLIP and CLIPSeg workers
 * (app/workers/model-load.ts serves it; app/stores/model-store.ts calls it). Plain data only.
 */
import type { ModelSource } from './model-source';
import type { WebDevice, WebDtype, GpuProbe } from './backend';
import type { LoadSnapshot } from './progress';
import type { GpuCheckForce } from './gpu-check';

export interface LoadRequest {
  source: ModelSource;
  device: WebDevice | 'auto';
  dtype: WebDtype | 'auto';
  /** the site's root URL, where ort/ lives */
  siteBase: string;
  /** download retries/timeouts (defaults in src/runtime/retry-fetch.ts; `?stall=ms` sets stallMs) */
  network?: { stallMs?: number; retries?: number; baseDelayMs?: number };
  /** test hook (`?loseGpuAfter=N`): the WebGPU device is destroyed after N batches (src/runtime/gpu-loss.ts) */
  loseGpuAfter?: number;
  /** test hook (`?simulateQuota=1`): every IndexedDB / Cache API write in the worker fails with QuotaExceededError */
  simulateQuota?: boolean;
  /** test hook (`?batchDelay=ms`): a pause after each classified batch, so a test can reload mid-run */
  batchDelayMs?: number;
  /** test hook (`?gpuCheck=mismatch|match`): forces the WebGPU self-check's outcome (it still runs) */
  gpuCheck?: GpuCheckForce;
  /** test hook (`?ortBuild=stock`): ORT's own wasm files, not the lab's patched ones */
  stockOrt?: boolean;
  /** "check again": forget this adapter's remembered self-check verdict and run the check before using WebGPU */
  recheckGpu?: boolean;
}

/** The WebGPU self-check's verdict for this adapter and browser (app/workers/model-load.ts), as the UI shows it. */
export interface GpuCheckInfo {
  ok: boolean;
  /** which value differed and by how much, or why the check could not run */
  reason?: string;
  /** true when the check ran during this load (false: remembered) */
  fresh: boolean;
}

/** What every loaded model reports to the UI. */
export interface LoadedInfo {
  label: string;
  device: WebDevice;
  dtype: WebDtype;
  threads: number;
  /** the ONNX Runtime build the worker runs: 'cpu' (plain, with the lab's kernels) or 'webgpu' (asyncify) */
  ortBuild?: 'cpu' | 'webgpu';
  /** WebGPU wanted but not used, and why */
  fallbackReason?: string;
  /** set when WebGPU was chosen: its self-check verdict (a failed one is why the model runs on WASM) */
  gpuCheck?: GpuCheckInfo;
  /** seconds the load took */
  seconds: number;
}

export interface WorkerProbe {
  gpu: GpuProbe;
  threads: number;
  isolated: boolean;
}

export interface ModelLoaderApi<L extends LoadedInfo> {
  probe(): Promise<WorkerProbe>;
  /** a new load aborts the one in progress */
  load(req: LoadRequest, onProgress: (s: LoadSnapshot) => void): Promise<L>;
  cancelLoad(): void;
}
