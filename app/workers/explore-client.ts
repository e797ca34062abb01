/** The Explore panel's handle on its worker: one per page, created on first use, recreated after a crash. */
import * as Comlink from 'comlink';
import type { ExploreWorkerApi } from './explore-protocol';
import { clipGeneration, clipPort } from './clip-client';

let worker: Worker | null = null;
let remote: Comlink.Remote<ExploreWorkerApi> | null = null;
/** the CLIP worker generation this explore worker is connected to (0: none) */
let attached = 0;
const crashListeners = new Set<(message: string) => void>();

export function exploreWorker(): Comlink.Remote<ExploreWorkerApi> {
  if (!remote) {
    worker = new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module', name: 'explore' });
    worker.addEventListener('error', (e) => {
      const msg = e.message || 'unknown error';
      crashListeners.forEach((l) => l(msg));
      worker?.terminate();
      worker = null;
      remote = null;
      attached = 0;
    });
    remote = Comlink.wrap<ExploreWorkerApi>(worker);
    attached = 0;
  }
  return remote;
}

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

export function onExploreWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

export const proxy = Comlink.proxy;
