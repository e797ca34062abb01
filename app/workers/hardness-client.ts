/** The hardness panel's handle on its worker: one per page, created on first use, recreated after a crash. */
import type { HardnessWorkerApi } from './hardness-protocol';
import { workerHandle } from './worker-handle';

const handle = workerHandle<HardnessWorkerApi>('hardness', () => new Worker(new URL('./hardness.worker.ts', import.meta.url), { type: 'module', name: 'hardness' }));

export const hardnessWorker = handle.get;
export const onHardnessWorkerCrash = handle.onCrash;
