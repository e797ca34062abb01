/** The Explore panel's handle on its worker: one per page, created on first use, recreated after a crash. */
import * as Comlink from 'comlink';
import type { ExploreWorkerApi } from './explore-protocol';
import { clipAttachedWorker } from './clip-attached';

const w = clipAttachedWorker<ExploreWorkerApi>('explore', () => new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module', name: 'explore' }));

export const exploreWorker = w.handle.get;
export const onExploreWorkerCrash = w.handle.onCrash;
/** The explore worker, connected to the current CLIP worker so it uses the CLIP panel's model, not a second copy. */
export const exploreWithClip = w.withClip;
export const proxy = Comlink.proxy;
