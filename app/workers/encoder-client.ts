/**
 * The CLIP worker's handle on its second image encoder (app/workers/encoder.worker.ts), as a lane of
 * its EncoderPool. Any failure there (the worker dies, its model does not load, an inference throws)
 * ends the lane with LaneLostError: the pool runs that batch on the CLIP worker's own session and
 * goes on without it. The pixels are copied to the worker, not transferred, so the batch can run again.
 */
import * as Comlink from 'comlink';
import { LaneLostError, type EncoderLane } from '../../src/pipeline/encoder-pool';
import { inFlight } from '../../src/runtime/in-flight';
import type { EncoderLoad, EncoderWorkerApi } from './encoder.worker';

export interface EncoderHelper {
  /** the lane once its model is loaded; null if it could not start */
  ready: Promise<EncoderLane | null>;
  /** terminates the worker (a new model, or the CLIP worker's model disposed) */
  stop(): void;
}

export function startEncoderHelper(load: EncoderLoad, name = 'second'): EncoderHelper {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module', name: 'encoder' });
  } catch {
    return { ready: Promise.resolve(null), stop: () => undefined };
  }
  const calls = inFlight();
  let lost: string | null = null;
  const end = (why: string) => {
    if (lost) return;
    lost = why;
    worker.terminate();
    calls.failAll(new LaneLostError(name, why));
  };
  const text = (e: unknown) => (e instanceof Error ? e.message : String(e));
  worker.addEventListener('error', (e) => {
    // handled here: not cancelled, a nested worker's error is re-thrown in the CLIP worker's scope and kills it too
    e.preventDefault();
    end(e.message || 'the worker crashed');
  });
  const remote = Comlink.wrap<EncoderWorkerApi>(worker);
  const lane: EncoderLane = {
    name,
    async encode(pixels) {
      if (lost) throw new LaneLostError(name, lost);
      try {
        return await calls.guard(remote.encode(pixels));
      } catch (e) {
        if (!(e instanceof LaneLostError)) end(text(e));
        throw new LaneLostError(name, lost ?? text(e));
      }
    },
  };
  const ready = calls.guard(remote.load(load)).then(
    () => (lost ? null : lane),
    (e: unknown) => {
      end(`its model did not load: ${text(e)}`);
      return null;
    },
  );
  return { ready, stop: () => end('stopped') };
}
