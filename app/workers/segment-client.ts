/**
 * The UI's handle on the CLIPSeg worker (API in segment-protocol.ts): one worker per page, created on
 * first use, recreated if it crashes. Callbacks are Comlink proxies.
 */
import * as Comlink from 'comlink';
import type { SegmentWorkerApi } from './segment-protocol';
import { workerHandle } from './worker-handle';

const handle = workerHandle<SegmentWorkerApi>('segmentation', () => new Worker(new URL('./segment.worker.ts', import.meta.url), { type: 'module', name: 'segment' }));

export const segmentWorker = handle.get;
export const resetSegmentWorker = handle.reset;
export const onSegmentWorkerCrash = handle.onCrash;

export const proxy = Comlink.proxy;
