/** The index worker's handle: one per page, created on first import, connected to the CLIP worker's model. */
import type { IndexWorkerApi } from './index-protocol';
import { clipAttachedWorker } from './clip-attached';

const w = clipAttachedWorker<IndexWorkerApi>('index', () => new Worker(new URL('./index.worker.ts', import.meta.url), { type: 'module', name: 'index' }));

export const onIndexWorkerCrash = w.handle.onCrash;
/** The index worker, (re)connected to the current CLIP worker so queries use the loaded model. */
export const indexWithClip = w.withClip;
