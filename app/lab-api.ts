/**
 * `window.__lab`: a small console API for power users and the e2e suite. It calls the same worker
 * as the UI, so `preprocess` returns exactly the pixels classification feeds the model.
 */
import { clipWorker } from './workers/clip-client';
import { killWorker } from './workers/worker-handle';
import type { PreprocessKind } from '../src/runtime/preprocessor-presets';

export interface LabApi {
  /** decode + preprocess in the worker; float32 CHW ([3,224,224] for clip, [3,352,352] for clipseg) */
  preprocess(bytes: Uint8Array | ArrayBuffer, name: string, kind?: PreprocessKind): Promise<Float32Array>;
  /** the loaded model ({label, device, dtype, threads, ...}) or null */
  model(): Promise<unknown>;
  /** the last classification results in the export JSON shape, or null */
  results(): Promise<unknown>;
  /** models stored by the browser, with sizes */
  storage(): Promise<unknown>;
  crossOriginIsolated: boolean;
  /** e2e: kills a running worker by its name ('CLIP', 'explore', 'segmentation', 'BatchNorm', 'hardness') as a crash would */
  killWorker(name: string): boolean;
  /**
   * One fixed training step (src/bnonly/gpu-check.ts) on WebGPU read with data(), on WebGPU read with dataSync(),
   * and on WASM: shows where SwiftShader's "first loss 0" comes from (e2e/gpu-check.spec.ts).
   */
  trainingReadback(): Promise<unknown>;
}

declare global {
  interface Window {
    __lab: LabApi;
  }
}

export function installLabApi(): void {
  window.__lab = {
    killWorker,
    async trainingReadback() {
      const { bnonlyWorker } = await import('./workers/bnonly-client');
      return bnonlyWorker().trainingReadback();
    },
    preprocess: (bytes, name, kind = 'clip') =>
      clipWorker().preprocess(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), name, kind),
    async model() {
      const { useModel } = await import('./stores/model');
      return useModel.getState().loaded;
    },
    async results() {
      const [{ useClassify }, { useImages }, { summarize, toJson }] = await Promise.all([
        import('./stores/classify'),
        import('./stores/images'),
        import('./panels/clip/results-model'),
      ]);
      const r = useClassify.getState().results;
      if (!r) return null;
      return JSON.parse(toJson(summarize(useImages.getState().items, r).rows, r));
    },
    storage: () => clipWorker().listCache(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
}
