/**
 * Save and restore a core `Run` so a training run survives a reload and continues bit-for-bit where it stopped.
 *
 * Adapter: the core's Run keeps its optimiser buffers and data-stream state (rng, epoch order, cursor) private.
 * Until it offers checkpoint()/restore(), this reads them through the narrow `RunInternals` view below; if the
 * core renames them, `assertInternals` fails loudly instead of resuming from a wrong state.
 */
import * as tf from '@tensorflow/tfjs';
import type { Run } from '../../src/bnonly/trainer';
import type { ModeCheckpoint } from './bnonly-protocol';

interface RunInternals {
  momentum: Map<string, tf.Variable>;
  rng: { s: number };
  order: Int32Array;
  cursor: number;
}

function internals(run: Run): RunInternals {
  const r = run as unknown as RunInternals;
  if (!(r.momentum instanceof Map) || typeof r.rng?.s !== 'number' || !(r.order instanceof Int32Array) || typeof r.cursor !== 'number') {
    throw new Error('bnonly checkpoint: the core Run no longer exposes momentum/rng/order/cursor; update app/workers/bnonly-checkpoint.ts');
  }
  return r;
}

/** Read asynchronously: TF.js WebGPU's dataSync reads zeros on some adapters (see Run.trainStepAsync). */
async function read(m: Map<string, tf.Variable>, names?: Iterable<string>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const n of [...(names ?? m.keys())]) out[n] = ((await m.get(n)!.data()) as Float32Array).slice();
  return out;
}

export async function checkpointRun(run: Run): Promise<ModeCheckpoint> {
  const i = internals(run);
  // the data-stream state first: it does not change while the reads below wait
  const rngState = i.rng.s;
  const order = i.order.slice();
  const cursor = i.cursor;
  const step = run.step;
  return {
    mode: run.mode,
    params: await read(run.net.vars, run.net.trainable.keys()),
    momentum: await read(i.momentum),
    runMean: await read(run.net.runMean),
    runVar: await read(run.net.runVar),
    rngState,
    order,
    cursor,
    step,
  };
}

function write(m: Map<string, tf.Variable>, values: Record<string, Float32Array>, what: string): void {
  for (const [n, data] of Object.entries(values)) {
    const v = m.get(n);
    if (!v || v.size !== data.length) throw new Error(`bnonly checkpoint: ${what} "${n}" does not match the network`);
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
}

export function restoreRun(run: Run, c: ModeCheckpoint): void {
  const i = internals(run);
  write(run.net.vars, c.params, 'parameter');
  write(i.momentum, c.momentum, 'momentum buffer');
  write(run.net.runMean, c.runMean, 'running mean');
  write(run.net.runVar, c.runVar, 'running variance');
  i.rng.s = c.rngState;
  i.order = c.order.slice();
  i.cursor = c.cursor;
  run.step = c.step;
}
