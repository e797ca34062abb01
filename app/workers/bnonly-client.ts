/** The UI's handle on the BatchNorm-only worker: one per page, created on first use, recreated after a crash. */
import * as Comlink from 'comlink';
import type { BnonlyWorkerApi } from './bnonly-protocol';

let worker: Worker | null = null;
let remote: Comlink.Remote<BnonlyWorkerApi> | null = null;
const crashListeners = new Set<(message: string) => void>();

export function bnonlyWorker(): Comlink.Remote<BnonlyWorkerApi> {
  if (!remote) {
    worker = new Worker(new URL('./bnonly.worker.ts', import.meta.url), { type: 'module', name: 'bnonly' });
    worker.addEventListener('error', (e) => {
      const msg = e.message || 'unknown error';
      crashListeners.forEach((l) => l(msg));
      resetBnonlyWorker();
    });
    remote = Comlink.wrap<BnonlyWorkerApi>(worker);
  }
  return remote;
}

export function resetBnonlyWorker(): void {
  worker?.terminate();
  worker = null;
  remote = null;
}

export function onBnonlyWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

export const proxy = Comlink.proxy;
