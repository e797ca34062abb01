/** The Explore panel's handle on its worker: one per page, created on first use, recreated after a crash. */
import * as Comlink from 'comlink';
import type { ExploreWorkerApi } from './explore-protocol';

let worker: Worker | null = null;
let remote: Comlink.Remote<ExploreWorkerApi> | null = null;
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
    });
    remote = Comlink.wrap<ExploreWorkerApi>(worker);
  }
  return remote;
}

export function onExploreWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

export const proxy = Comlink.proxy;
