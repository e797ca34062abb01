// Loads one of the ONNX Runtime Web builds by name, with its wasm files from this origin.
import type * as Ort from 'onnxruntime-web';

export type OrtFlavor = 'top-wasm' | 'top-webgpu' | 'tf-wasm' | 'tf-webgpu';

export interface OrtEnvOptions {
  flavor: OrtFlavor;
  threads: number;
  /** ORT's proxy worker: inference in a worker of its own (only meaningful on a main thread). */
  proxy?: boolean;
}

export async function loadOrt(o: OrtEnvOptions): Promise<typeof Ort> {
  // The *-webgpu builds load the asyncify wasm (what transformers.js uses), *-wasm the plain one.
  const ort: typeof Ort =
    o.flavor === 'top-wasm' ? await import('onnxruntime-web/wasm')
    : o.flavor === 'top-webgpu' ? await import('onnxruntime-web/webgpu')
    // @ts-expect-error alias defined in bench/vite.config.ts
    : o.flavor === 'tf-wasm' ? await import('ort-tf-wasm')
    // @ts-expect-error alias defined in bench/vite.config.ts
    : await import('ort-tf-webgpu');
  const base = new URL(o.flavor.startsWith('top') ? '/ort-top/' : '/ort/', self.location.href).href;
  ort.env.wasm.wasmPaths = base;
  ort.env.wasm.numThreads = o.threads;
  ort.env.wasm.proxy = o.proxy ?? false;
  return ort;
}
