/**
 * Which image-text model (CLIP, SigLIP) the lab uses and its loading state (app/stores/model-store.ts).
 * URL query `?host=<url>&model=<org/name>` selects a self-hosted model (used by the e2e suite),
 * `&device=wasm|webgpu&dtype=fp32|fp16|q8` override the automatic choice.
 */
import { clipWorker, onClipWorkerCrash, resetClipWorker } from '../workers/clip-client';
import { createModelStore } from './model-store';
import type { LoadedModel } from '../../src/runtime/clip-protocol';
import type { LoadRequest } from '../../src/runtime/model-protocol';
import { SUGGESTED_MODELS } from '../../src/models/catalog';

// Same as DEFAULT_CLIP_MODEL in src/runtime/model-source.ts, written out: importing that module
// would pull transformers.js into the main thread's bundle (it belongs in the worker only).
export const DEFAULT_CLIP_MODEL = 'Xenova/clip-vit-base-patch32';
export const HUB_MODELS = SUGGESTED_MODELS.map((s) => s.id);

/**
 * Test hooks from the URL, carried by the load request: `?stall=<ms>` (how long a silent model host
 * is waited for before a retry, default 30 s), `?loseGpuAfter=<n>` (the WebGPU device is destroyed
 * after n batches), `?simulateQuota=1` (storage writes fail as on a full disk), `?batchDelay=<ms>`
 * (a pause per batch), `?ortBuild=stock` (ORT's own wasm files: the patched kernels' results compared with them).
 */
function testHooksFromQuery(): Partial<LoadRequest> {
  const q = new URLSearchParams(location.search);
  const stall = Number(q.get('stall'));
  const loseGpu = q.get('loseGpuAfter');
  const delay = Number(q.get('batchDelay'));
  return {
    network: stall > 0 ? { stallMs: stall } : undefined,
    loseGpuAfter: loseGpu !== null && Number(loseGpu) >= 0 ? Number(loseGpu) : undefined,
    ...(q.get('simulateQuota') === '1' ? { simulateQuota: true } : {}),
    ...(q.get('ortBuild') === 'stock' ? { stockOrt: true } : {}),
    ...(delay > 0 ? { batchDelayMs: delay } : {}),
  };
}

export const useModel = createModelStore<LoadedModel>({
  storageKey: 'lab-model',
  defaultId: DEFAULT_CLIP_MODEL,
  queryParam: 'model',
  worker: clipWorker,
  resetWorker: resetClipWorker,
  onWorkerCrash: onClipWorkerCrash,
  requestExtras: testHooksFromQuery,
});
