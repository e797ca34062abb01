import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

/**
 * Select a TF.js backend. `wasmPaths`: where the tfjs-backend-wasm .wasm files are served (browser) or lie (Node).
 * Threads only apply in a cross-origin-isolated browser; TF.js turns them off in Node.
 */
export async function useBackend(name: BackendName, opts: { wasmPaths?: string; threads?: number } = {}): Promise<string> {
  if (name === 'wasm') {
    if (opts.wasmPaths) setWasmPaths(opts.wasmPaths);
    if (opts.threads) setThreadsCount(opts.threads);
  }
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`TF.js backend "${name}" is not available here`);
  }
  await tf.ready();
  return tf.getBackend();
}
