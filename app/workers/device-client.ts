/** The device test's handle on its worker; the store resets it between groups for a fresh runtime. */
import type { DeviceWorkerApi } from './device-protocol';
import { workerHandle } from './worker-handle';

const handle = workerHandle<DeviceWorkerApi>('device test', () => new Worker(new URL('./device.worker.ts', import.meta.url), { type: 'module', name: 'device' }));

export const deviceWorker = handle.get;
export const resetDeviceWorker = handle.reset;
export const onDeviceWorkerCrash = handle.onCrash;
