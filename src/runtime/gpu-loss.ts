/**
 * Test hook for "WebGPU device lost mid-run" (issue 9): after `after` encoder batches on WebGPU,
 * destroy ONNX Runtime's GPUDevice, as a driver reset or a GPU process crash would. The next
 * inference then fails for real: the worker stops the run with a GPU_LOST_TAG error and the page
 * starts a fresh worker on WASM and runs again (src/runtime/gpu-lost.ts). Set from the page with
 * `?loseGpuAfter=N`; without it the hook does nothing.
 */
import { env } from '@huggingface/transformers';

export function gpuLossHook(after?: number): (device: string) => Promise<void> {
  let batches = 0;
  return async (device) => {
    if (after === undefined || device !== 'webgpu' || ++batches <= after) return;
    const webgpu = (env.backends.onnx as { webgpu?: { device?: Promise<{ destroy(): void }> | { destroy(): void } } }).webgpu;
    const gpu = await webgpu?.device;
    if (gpu) gpu.destroy();
    else throw new Error('GPU device lost (simulated)');
  };
}
