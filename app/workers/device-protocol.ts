/**
 * The device test's worker API (app/workers/device.worker.ts), plain data only. The page starts a
 * fresh worker per group of settings (src/runtime/device-test.ts planDeviceTest: ONNX Runtime's WASM
 * thread count is fixed once it starts, and a WebGPU failure breaks the whole runtime) and one for
 * the BatchNorm-only training steps (TF.js), so no measurement disturbs another.
 */
import type { ModelSource } from '../../src/runtime/model-source';
import type { ConfigMeasurement, DeviceConfig, DeviceProbe, TrainMeasurement } from '../../src/runtime/device-test';

export type TrainBackend = 'wasm' | 'webgl' | 'webgpu';

export interface GroupRequest {
  source: ModelSource;
  /** the site's root URL: ort/ and samples/ live there */
  siteBase: string;
  /** settings sharing one runtime: WASM ones share the thread count */
  configs: DeviceConfig[];
  /** image file names under samples/ */
  images: string[];
  texts: string[];
  repeats: number;
  /** test hook (`?deviceFault=<setting id>,...`): those settings' image embeddings come back with half their signs flipped */
  fault?: string[];
}

export type DeviceProgress =
  | { phase: 'load'; id: string }
  | { phase: 'image' | 'text'; id: string; done: number; total: number }
  | { phase: 'train'; backend: TrainBackend };

export interface DeviceWorkerApi {
  /** WebGPU adapter (shader-f16, its name), cores, cross-origin isolation */
  probe(): Promise<DeviceProbe & { adapter?: string }>;
  /** times each setting in turn; a setting that fails comes back with `error`, the others still run */
  measureGroup(req: GroupRequest, onProgress: (p: DeviceProgress) => void): Promise<ConfigMeasurement[]>;
  /** the TF.js backends this browser offers, of wasm, webgl, webgpu (in that order), and which are software GPUs */
  trainBackends(): Promise<{ available: TrainBackend[]; software: TrainBackend[] }>;
  /** one BatchNorm-only step (then a second, timed) on `backend`; the page gives each backend a fresh worker */
  trainStep(backend: TrainBackend): Promise<TrainMeasurement>;
  /** stops between timed calls */
  cancel(): void;
}
