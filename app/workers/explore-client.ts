/** The Explore panel's handle on its worker: one per page, created on first use, recreated after a crash. */
import * as Comlink from 'comlink';
import type { ExploreWorkerApi } from './explore-protocol';
import { clipGeneration, clipPort } from './clip-client';
import { workerHandle } from './worker-handle';

/** the CLIP worker generation this explore worker is connected to (0: none) */
let attached = 0;
const handle = workerHandle<ExploreWorkerApi>(
  'explore',
  () => new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module', name: 'explore' }),
  () => (attached = 0),
);

export const exploreWorker = handle.get;
export const onExploreWorkerCrash = handle.onCrash;

/**
 * The explore worker, connected to the current CLIP worker (reconnected when either was restarted),
 * so it uses the CLIP panel's model instead of loading a second copy.
 */
export async function exploreWithClip(): Promise<Comlink.Remote<ExploreWorkerApi>> {
  const r = exploreWorker();
  if (!attached || attached !== clipGeneration()) {
    const { port, generation } = clipPort();
    await r.attachClip(Comlink.transfer(port, [port]));
    attached = generation;
  }
  return r;
}

export const proxy = Comlink.proxy;
