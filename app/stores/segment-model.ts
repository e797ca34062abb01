/**
 * Which CLIPSeg model the segmentation panel uses and its loading state (app/stores/model-store.ts).
 * URL query `?host=<url>&segModel=<org/name>` picks a self-hosted model (the e2e suite uses it);
 * `&device=` and `&dtype=` override the automatic choice.
 */
import { onSegmentWorkerCrash, resetSegmentWorker, segmentWorker } from '../workers/segment-client';
import type { LoadedSegModel } from '../workers/segment-protocol';
import { createModelStore } from './model-store';

// Same as DEFAULT_CLIPSEG_MODEL in src/segment/clipseg.ts, written out so the main bundle does not pull transformers.js.
export const DEFAULT_SEG_MODEL = 'Xenova/clipseg-rd64-refined';
export const SEG_HUB_MODELS = [DEFAULT_SEG_MODEL];

export const useSegModel = createModelStore<LoadedSegModel>({
  storageKey: 'lab-segment-model',
  defaultId: DEFAULT_SEG_MODEL,
  queryParam: 'segModel',
  worker: segmentWorker,
  resetWorker: resetSegmentWorker,
  onWorkerCrash: onSegmentWorkerCrash,
});
