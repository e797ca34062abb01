/**
 * A WebGPU failure mid-run (device lost) leaves ONNX Runtime's WebAssembly module unusable for
 * every session in that worker, WASM ones included (measured: after GPUDevice.destroy(), a fresh
 * WASM-only session in the same worker fails in webgpu::BufferManager::Download). So the lab's one
 * policy, for every model worker (CLIP: app/stores/classify.ts; CLIPSeg: app/stores/segment.ts):
 * the worker stops the run with an error tagged with this prefix, and the page starts a FRESH worker
 * on WASM and runs again (images already embedded come from the embedding cache). Nothing reloads
 * in place.
 */
export const GPU_LOST_TAG = '[webgpu-lost] ';

export function isGpuLost(message: string): boolean {
  return message.includes(GPU_LOST_TAG);
}

/** The reason without the tag (and without Comlink's "Error: " prefixes). */
export function gpuLostReason(message: string): string {
  return message.slice(message.indexOf(GPU_LOST_TAG) + GPU_LOST_TAG.length);
}
