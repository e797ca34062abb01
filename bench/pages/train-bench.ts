// Training throughput in the browser worker: open_lth ResNet-20 (width 16) on CIFAR-shaped random inputs,
// one TF.js backend and one mode per call (src/bnonly's Run, the code the lab's training panel drives).
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { type BackendName, configureWasmThreads, useBackend } from '../../src/bnonly/backend';
import type { ImageDataset } from '../../src/data/dataset';
import type { Mode } from '../../src/bnonly/modes';
import { Rng } from '../../src/math/rng';
import { DEFAULT_CONFIG, Run, initialParams } from '../../src/bnonly/trainer';

export interface TrainArgs {
  backend: BackendName; mode: Mode; depth: number; batch: number;
  /** wasm only: 0 or 1 = single-threaded SIMD build; n > 1 = threaded SIMD build with n threads, set up exactly
   * as the lab does (src/bnonly/backend.ts configureWasmThreads, same-origin pthread scripts from the build). */
  threads: number;
  warmup: number; steps: number;
  /** Stop timing after this many seconds even if fewer steps ran (software GPUs). */
  budgetS: number;
  /** Seconds allowed for the backend to start (threaded wasm can wait forever). */
  initTimeoutS: number;
}

const SOFTWARE = /swiftshader|llvmpipe|software|basic render/i;

/** Same synthetic set as bench/bnonly.ts: two batches of random uint8 32x32x3 images, 10 classes. */
function synthetic(n: number): ImageDataset {
  const rng = new Rng(1);
  const images = new Uint8Array(n * 32 * 32 * 3);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = new Uint8Array(n).map(() => rng.int(10));
  return { name: 'cifar10', n, height: 32, width: 32, channels: 3, images, labels, classes: [...'0123456789'] };
}

/** The GPU adapter or WebGL renderer behind a backend, to tell a software rasteriser from hardware. */
async function gpuDevice(backend: BackendName): Promise<string> {
  if (backend === 'webgpu') {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<any> } }).gpu;
    const a = await gpu?.requestAdapter();
    if (!a) return 'no adapter';
    const i = a.info ?? {};
    return `${i.vendor ?? ''} ${i.architecture ?? ''} ${i.description ?? ''}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`.trim();
  }
  if (backend === 'webgl') {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return 'no webgl2 context';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return r;
  }
  return 'cpu';
}

function withTimeout<T>(p: Promise<T>, s: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, no) => setTimeout(() => no(new Error(`${what}: no answer after ${s} s`)), s * 1000))]);
}

/** Records what the threaded build's pthread workers report (their errors never reach the page otherwise). */
function watchPthreadWorkers(): { created: number; errors: string[] } {
  const seen = { created: 0, errors: [] as string[] };
  const Base = self.Worker;
  self.Worker = class extends Base {
    constructor(url: string | URL, opts?: WorkerOptions) {
      super(url, opts);
      seen.created++;
      this.addEventListener('error', (e) => { if (seen.errors.length < 5) seen.errors.push(`${e.message} (${String(e.filename).slice(0, 40)}:${e.lineno})`); });
    }
  };
  return seen;
}

export async function trainBench(a: TrainArgs): Promise<Record<string, unknown>> {
  const pthreads = a.backend === 'wasm' && a.threads > 1 ? watchPthreadWorkers() : null;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  if (a.backend === 'wasm') configureWasmThreads(a.threads);
  const device = await gpuDevice(a.backend);
  const got = await withTimeout(useBackend(a.backend), a.initTimeoutS, `tf.setBackend('${a.backend}')`)
    .catch((e: Error) => { throw new Error(`${e.message}${pthreads ? `; pthread workers: ${JSON.stringify(pthreads)}` : ''}`); });
  const data = synthetic(a.batch * 2);
  const cfg = { ...DEFAULT_CONFIG, depth: a.depth, batch: a.batch, steps: 1000 };
  const run = new Run(a.mode, initialParams(cfg, data), cfg, data);
  const losses: number[] = [];
  try {
    const w0 = performance.now();
    for (let i = 0; i < a.warmup; i++) losses.push((await run.trainStepAsync()).loss);
    const warmupMs = performance.now() - w0;
    const stepMs: number[] = [];
    const t0 = performance.now();
    while (stepMs.length < a.steps && (stepMs.length === 0 || performance.now() - t0 < a.budgetS * 1000)) {
      const t = performance.now();
      losses.push((await run.trainStepAsync()).loss);
      stepMs.push(performance.now() - t);
    }
    const sec = (performance.now() - t0) / 1000;
    return {
      backend: got, mode: a.mode, depth: a.depth, width: cfg.width, batch: a.batch,
      threads: got === 'wasm' ? getThreadsCount() : null,
      ...(pthreads ? { hardware_concurrency_seen: navigator.hardwareConcurrency, wasm_multithread_flag: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'), pthread_workers: pthreads.created, pthread_errors: pthreads.errors } : {}),
      simd: got === 'wasm' ? Boolean(tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) : null,
      device, software: a.backend === 'wasm' ? false : SOFTWARE.test(device),
      trainable_params: run.trainableParams,
      warmup_steps: a.warmup, warmup_ms: Math.round(warmupMs), steps: stepMs.length, step_ms: stepMs.map(Math.round),
      images_per_s: (stepMs.length * a.batch) / sec,
      best_images_per_s: (a.batch * 1000) / Math.min(...stepMs),
      losses: losses.map((l) => Number(l.toFixed(4))),
      loss_finite: losses.every(Number.isFinite),
    };
  } finally {
    run.dispose();
  }
}
