/**
 * A worker that borrows the CLIP worker's model through a MessagePort (explore, evaluate, index import) instead of
 * loading a second copy: one handle per kind, reconnected whenever either worker was restarted.
 */
import * as Comlink from 'comlink';
import { clipGeneration, clipPort } from './clip-client';
import { workerHandle, type WorkerHandle } from './worker-handle';

export interface ClipAttached<T> {
  handle: WorkerHandle<T>;
  /** the worker, connected to the current CLIP worker */
  withClip(): Promise<Comlink.Remote<T>>;
}

export function clipAttachedWorker<T extends { attachClip(port: MessagePort): unknown }>(name: string, start: () => Worker): ClipAttached<T> {
  /** the CLIP worker generation this worker is connected to (0: none) */
  let attached = 0;
  const handle = workerHandle<T>(name, start, () => (attached = 0));
  return {
    handle,
    async withClip() {
      const r = handle.get();
      if (!attached || attached !== clipGeneration()) {
        const { port, generation } = clipPort();
        // Comlink.Remote<T> maps attachClip to an async function; the cast keeps T's own signature out of the way
        await (r as unknown as { attachClip(p: MessagePort): Promise<unknown> }).attachClip(Comlink.transfer(port, [port]));
        attached = generation;
      }
      return r;
    },
  };
}
