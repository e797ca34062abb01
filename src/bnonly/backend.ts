import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

/**
 * Select a TF.js backend. `wasmPaths`: where the tfjs-backend-wasm .wasm files are served (browser) or lie (Node).
 * Threads only apply in a cross-origin-isolated browser (see configureWasmThreads); TF.js turns them off in Node.
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
  if (name === 'wasm') shareIdentityOnWasm();
  return tf.getBackend();
}

/**
 * tf.customGrad's save() keeps every saved tensor through an Identity kernel, and wasm's Identity copies the whole
 * buffer (cpu and webgl share it by reference count): ~60 full activation copies per ResNet-20 training step, all
 * on the one JS thread even when XNNPACK has several. TF.js tensors are immutable (a Variable's assign swaps in a
 * new buffer), so sharing is safe: this Identity does what wasm's own Reshape does, a reference-count increment.
 */
function shareIdentityOnWasm(): void {
  const config = tf.getKernel('Identity', 'wasm');
  if (!config || (config as { shared?: boolean }).shared) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    ...config,
    shared: true,
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return (config.kernelFunc as tf.KernelFunc)({ inputs, backend, attrs: {} });
      (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  } as tf.KernelConfig);
}

/** The lab's WASM thread count: up to 4 of the machine's logical cores when cross-origin isolated, else 1. */
export function defaultWasmThreads(): number {
  if (globalThis.crossOriginIsolated !== true) return 1;
  return Math.min(Math.max(globalThis.navigator?.hardwareConcurrency || 1, 1), 4);
}

/**
 * Browser worker only, before the WASM backend starts (the lab's worker and the bench's train page both call it,
 * so the bench measures what the lab ships). threads > 1: TF.js's threaded SIMD build with that many XNNPACK
 * threads (needs SharedArrayBuffer, i.e. cross-origin isolation, and scripts/vite-tfjs-wasm-threads.ts in the
 * build: TF.js would start its pthread workers from blob: URLs that the site's CSP refuses and that break once
 * minified); threads <= 1: the single-threaded SIMD build.
 * TF.js's C++ side caps XNNPACK's pool at navigator.hardwareConcurrency / 2 (it assumes two hyperthreads per
 * core), read when the module starts: on a 2-vCPU machine every count would become 1. The worker therefore
 * reports twice the wanted count (measured on 2 vCPUs, ResNet-20 `full` training: 1 thread 63 img/s, 2 threads
 * capped to 1: 76, 2 threads: 107). Returns the thread count that will be used.
 */
export function configureWasmThreads(threads: number): number {
  const n = threads > 1 && globalThis.crossOriginIsolated === true ? Math.floor(threads) : 1;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', n > 1);
  if (n > 1) {
    setThreadsCount(n);
    if (navigator.hardwareConcurrency < 2 * n) {
      Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * n, configurable: true });
    }
  }
  return n;
}
