/**
 * The device test's TF.js half, imported on demand by device.worker.ts (the ONNX half never loads
 * TF.js): the BatchNorm panel's own backend choice and WASM set-up (bnonly-backend.ts), one step each.
 */
import { activateBackend, backendInfo } from './bnonly-backend';
import { timeBnStep } from '../../src/bnonly/step-check';
import type { TrainMeasurement } from '../../src/runtime/device-test';
import type { TrainBackend } from './device-protocol';

const ORDER: TrainBackend[] = ['wasm', 'webgl', 'webgpu'];

/**
 * What this browser offers. A GPU backend that "auto" passes over although it is available runs on a
 * software adapter (SwiftShader, llvmpipe: see backendInfo); it is still timed, and labelled.
 */
export async function availableTrainBackends(): Promise<{ available: TrainBackend[]; software: TrainBackend[] }> {
  const info = await backendInfo();
  const available = ORDER.filter((b) => info.available.includes(b));
  const software: TrainBackend[] = [];
  if (available.includes('webgpu') && info.auto !== 'webgpu') software.push('webgpu');
  if (available.includes('webgl') && info.auto !== 'webgpu' && info.auto !== 'webgl') software.push('webgl');
  return { available, software };
}

export async function trainOn(backend: TrainBackend): Promise<TrainMeasurement> {
  try {
    const { backend: ran, threads } = await activateBackend(backend);
    if (ran !== backend) return { backend, ran, threads, error: `${backend} did not start; ${ran} would have run` };
    const t = await timeBnStep();
    return { backend, ran, threads, first_loss: t.first_loss, first_step_ms: t.first_step_ms, step_ms: t.step_ms };
  } catch (e) {
    return { backend, error: e instanceof Error ? e.message : String(e) };
  }
}
