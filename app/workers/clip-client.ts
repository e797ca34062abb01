/**
 * The UI's handle on the CLIP worker: one worker per page, created on first use, recreated if
 * it crashes. Callbacks cross the boundary as Comlink proxies.
 */
import * as Comlink from 'comlink';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';

let worker: Worker | null = null;
let remote: Comlink.Remote<ClipWorkerApi> | null = null;
const crashListeners = new Set<(message: string) => void>();

export function clipWorker(): Comlink.Remote<ClipWorkerApi> {
  if (!remote) {
    worker = new Worker(new URL('./clip.worker.ts', import.meta.url), { type: 'module', name: 'clip' });
    worker.addEventListener('error', (e) => {
      const msg = e.message || 'unknown error';
      crashListeners.forEach((l) => l(msg));
      resetClipWorker();
    });
    remote = Comlink.wrap<ClipWorkerApi>(worker);
  }
  return remote;
}

export function resetClipWorker(): void {
  worker?.terminate();
  worker = null;
  remote = null;
}

export function onClipWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

export const proxy = Comlink.proxy;
