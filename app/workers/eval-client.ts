/** The Evaluate panel's handle on its worker, connected to the CLIP worker's model (as Explore's is). */
import * as Comlink from 'comlink';
import type { EvalWorkerApi } from './eval-protocol';
import { clipAttachedWorker } from './clip-attached';

const w = clipAttachedWorker<EvalWorkerApi>('evaluate', () => new Worker(new URL('./eval.worker.ts', import.meta.url), { type: 'module', name: 'evaluate' }));

export const onEvalWorkerCrash = w.handle.onCrash;
export const evalWithClip = w.withClip;
export const proxy = Comlink.proxy;
