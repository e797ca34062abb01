/**
 * A page's handle on one kind of worker: created on first use, dropped (and recreated on next use)
 * when it crashes, with listeners told why. `start` is called with a fresh `new Worker(new URL(...))`
 * literal in the caller's file, where Vite can see and bundle it.
 */
import * as Comlink from 'comlink';

export interface WorkerHandle<T> {
  get(): Comlink.Remote<T>;
  /** terminates the worker; the next get() starts a fresh one */
  reset(): void;
  onCrash(listener: (message: string) => void): () => void;
}

export function workerHandle<T>(start: () => Worker, onStart?: () => void): WorkerHandle<T> {
  let worker: Worker | null = null;
  let remote: Comlink.Remote<T> | null = null;
  const crashListeners = new Set<(message: string) => void>();
  const reset = () => {
    worker?.terminate();
    worker = null;
    remote = null;
  };
  return {
    get() {
      if (!remote) {
        worker = start();
        worker.addEventListener('error', (e) => {
          const msg = e.message || 'unknown error';
          crashListeners.forEach((l) => l(msg));
          reset();
        });
        remote = Comlink.wrap<T>(worker);
        onStart?.();
      }
      return remote;
    },
    reset,
    onCrash(listener) {
      crashListeners.add(listener);
      return () => crashListeners.delete(listener);
    },
  };
}
