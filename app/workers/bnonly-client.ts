/** The UI's handle on the BatchNorm-only worker: one per page, created on first use, recreated after a crash. */
import * as Comlink from 'comlink';
import type { BnonlyWorkerApi } from './bnonly-protocol';
import { workerHandle } from './worker-handle';

const handle = workerHandle<BnonlyWorkerApi>('BatchNorm', () => new Worker(new URL('./bnonly.worker.ts', import.meta.url), { type: 'module', name: 'bnonly' }));

export const bnonlyWorker = handle.get;
export const onBnonlyWorkerCrash = handle.onCrash;

export const proxy = Comlink.proxy;
