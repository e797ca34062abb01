/**
 * The CLIP worker's handle on its decode worker (app/workers/decode.worker.ts). If that worker cannot
 * start or dies, every call in flight rejects and the caller decodes on its own thread from then on:
 * slower, never stuck.
 */
import * as Comlink from 'comlink';
import type { DecodeWorkerApi } from './decode.worker';
import type { PrepareRequest, PreparedBatch } from './image-prepare';
import type { PreprocessorConfig } from '../../src/clip/preprocess';
import { inFlight } from '../../src/runtime/in-flight';

export interface DecodeClient {
  /** null once the decode worker is gone (the caller then prepares the batch itself) */
  prepare(req: PrepareRequest): Promise<PreparedBatch> | null;
  simulateQuota(): void;
  /** starts the worker and runs one small image through it (its decoder and kernels compile); never throws */
  warm(preprocessor: PreprocessorConfig): Promise<void>;
}

export function decodeClient(): DecodeClient {
  let worker: Worker | null = null;
  let remote: Comlink.Remote<DecodeWorkerApi> | null = null;
  let broken = false;
  /** the calls in flight, failed when the worker dies */
  const calls = inFlight();
  const start = () => {
    if (remote || broken) return;
    try {
      worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'decode' });
    } catch {
      broken = true;
      return;
    }
    worker.addEventListener('error', (e) => {
      // handled here: not cancelled, a nested worker's error is re-thrown in the CLIP worker's scope and kills it too
      e.preventDefault();
      broken = true;
      worker?.terminate();
      calls.failAll(new Error(`the decode worker stopped (${e.message || 'unknown error'})`));
    });
    remote = Comlink.wrap<DecodeWorkerApi>(worker);
  };
  return {
    prepare(req) {
      start();
      if (broken || !remote) return null;
      return calls.guard(remote.prepare(req));
    },
    simulateQuota() {
      start();
      void remote?.simulateQuota();
    },
    async warm(preprocessor) {
      start();
      if (remote) await calls.guard(remote.warm(preprocessor)).catch(() => undefined);
    },
  };
}
