/**
 * The UI's handle on the CLIP worker: one worker per page, created on first use, recreated if
 * it crashes. Callbacks cross the boundary as Comlink proxies.
 */
import * as Comlink from 'comlink';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';
import { workerHandle } from './worker-handle';

/** bumped each time a new CLIP worker starts, so other workers know to reconnect */
let generation = 0;
const handle = workerHandle<ClipWorkerApi>(
  'CLIP',
  () => new Worker(new URL('./clip.worker.ts', import.meta.url), { type: 'module', name: 'clip' }),
  () => generation++,
);

export const clipWorker = handle.get;
export const resetClipWorker = handle.reset;
export const onClipWorkerCrash = handle.onCrash;

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

export const proxy = Comlink.proxy;
