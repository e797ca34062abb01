/**
 * The UI's handle on the CLIP worker: one worker per page, created on first use, recreated if
 * it crashes. Callbacks cross the boundary as Comlink proxies.
 */
import * as Comlink from 'comlink';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';

let worker: Worker | null = null;
let remote: Comlink.Remote<ClipWorkerApi> | null = null;
/** bumped each time a new CLIP worker starts, so other workers know to reconnect */
let generation = 0;
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
    generation++;
  }
  return remote;
}

/**
 * A fresh MessagePort onto the CLIP worker's API, to hand to another worker (which wraps it with
 * Comlink), and the worker generation it belongs to. Calls then go worker to worker.
 */
export function clipPort(): { port: MessagePort; generation: number } {
  const r = clipWorker();
  const { port1, port2 } = new MessageChannel();
  void r.connect(Comlink.transfer(port1, [port1]));
  return { port: port2, generation };
}

export function clipGeneration(): number {
  return generation;
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
