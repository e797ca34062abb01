/**
 * A page's handle on one kind of worker: created on first use, dropped (and recreated on next use)
 * when it crashes, with listeners told why. Every worker client is made here, and every store that
 * runs jobs on a worker subscribes to `onCrash`, so a crash ends the running job with an error
 * instead of leaving it waiting for an answer that will never come. `start` is called with a fresh
 * `new Worker(new URL(...))` literal in the caller's file, where Vite can see and bundle it.
 */
import * as Comlink from 'comlink';

export interface WorkerHandle<T> {
  get(): Comlink.Remote<T>;
  /** terminates the worker; the next get() starts a fresh one */
  reset(): void;
  /** `message` names the worker and the reason, in the words the UI shows (see workerStoppedMessage) */
  onCrash(listener: (message: string) => void): () => void;
}

/** What a store shows when a worker dies mid-job (app/i18n/errors.ts translates it). */
export function workerStoppedMessage(name: string, detail: string): string {
  return `the ${name} worker stopped unexpectedly (${detail}); run again`;
}

/** Every handle by worker name, for the e2e hook `window.__lab.killWorker(name)` (app/lab-api.ts). */
const killers = new Map<string, () => boolean>();

/**
 * Kills a running worker as a crash would (`worker.terminate()`, then every store is told): the e2e check that
 * each store ends its run with a message and keeps what was computed. False when that worker is not running.
 */
export function killWorker(name: string): boolean {
  return killers.get(name)?.() ?? false;
}

export const workerNames = (): string[] => [...killers.keys()];

export function workerHandle<T>(name: string, start: () => Worker, onStart?: () => void): WorkerHandle<T> {
  let worker: Worker | null = null;
  let remote: Comlink.Remote<T> | null = null;
  const crashListeners = new Set<(message: string) => void>();
  const reset = () => {
    worker?.terminate();
    worker = null;
    remote = null;
  };
  const crash = (detail: string) => {
    reset();
    const msg = workerStoppedMessage(name, detail);
    crashListeners.forEach((l) => l(msg));
  };
  killers.set(name, () => {
    if (!worker) return false;
    crash('terminated');
    return true;
  });
  return {
    get() {
      if (!remote) {
        worker = start();
        worker.addEventListener('error', (e) => crash(e.message || 'unknown error'));
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
