// CLIP vision encoder throughput in the browser: a raw ONNX Runtime Web session with explicit options,
// or the same model through transformers.js. Each runs in a fresh worker (numThreads is per wasm instance).
import { loadOrt, type OrtFlavor } from './ort-load';
import { fakePixels, throughput } from './timing';
import { configureTf, hubBase } from './tf-env';

export interface OrtVisionArgs {
  flavor: OrtFlavor; modelUrl: string; threads: number; batch: number; seconds: number;
  /** Extra InferenceSession options merged over the defaults below. */
  options?: Record<string, unknown>;
  /** Fix the batch dimension at session creation (freeDimensionOverrides). */
  fixBatch?: boolean;
  /** Ask only for image_embeds instead of every output. */
  onlyEmbeds?: boolean;
}

export async function ortVision(a: OrtVisionArgs) {
  const ort = await loadOrt({ flavor: a.flavor, threads: a.threads });
  const t0 = performance.now();
  const bytes = new Uint8Array(await (await fetch(a.modelUrl)).arrayBuffer());
  const fetchMs = performance.now() - t0;
  const options: Record<string, unknown> = {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    ...(a.fixBatch ? { freeDimensionOverrides: { batch_size: a.batch } } : {}),
    ...a.options,
  };
  const t1 = performance.now();
  const session = await ort.InferenceSession.create(bytes, options);
  const createMs = performance.now() - t1;
  const n = a.batch * 3 * 224 * 224;
  const pixels = fakePixels(n);
  const input = new ort.Tensor('float32', pixels, [a.batch, 3, 224, 224]);
  const fetches = a.onlyEmbeds ? ['image_embeds'] : undefined;
  const step = async () => {
    const out = fetches ? await session.run({ pixel_values: input }, fetches) : await session.run({ pixel_values: input });
    for (const t of Object.values(out)) t.dispose();
  };
  const tp = await throughput(step, a.batch, a.seconds);
  await session.release();
  return { ...tp, fetch_ms: fetchMs, create_ms: createMs, threads: a.threads, batch: a.batch, flavor: a.flavor, options };
}

export interface TfVisionArgs {
  hubBase: string; model: string; dtype: 'fp32' | 'q8'; threads: number; batch: number; seconds: number;
  sessionOptions?: Record<string, unknown>;
  build?: 'asyncify' | 'plain' | 'default';
}

export async function tfVision(a: TfVisionArgs) {
  const { env, CLIPVisionModelWithProjection, Tensor } = await import('@huggingface/transformers');
  configureTf(a.threads, false, a.build ?? 'default');
  env.remoteHost = a.hubBase;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  const t0 = performance.now();
  const model = await CLIPVisionModelWithProjection.from_pretrained(a.model, {
    dtype: a.dtype, device: 'wasm', ...(a.sessionOptions ? { session_options: a.sessionOptions } : {}),
  } as never);
  const loadMs = performance.now() - t0;
  const pixels = new Tensor('float32', fakePixels(a.batch * 3 * 224 * 224), [a.batch, 3, 224, 224]);
  const step = async () => { await model({ pixel_values: pixels }); };
  const tp = await throughput(step, a.batch, a.seconds);
  await model.dispose();
  return { ...tp, load_ms: loadMs, threads: a.threads, batch: a.batch, dtype: a.dtype, build: a.build ?? 'default' };
}


export interface LabVisionArgs {
  model: string; dtype: 'fp32' | 'q8'; threads: number; batch: number; seconds: number;
  /** ORT's own wasm, not the lab's FMA-kernel build (the same-run comparison, a variant) */
  stockOrt?: boolean;
}

/**
 * The lab's own vision session: the model loaded by the lab's loader (src/models
 * loadImageTextModel, as app/workers/clip.worker.ts loads it: same transformers.js, same ORT
 * build and wasm files (src/runtime/ort-env.ts configureOrt), same options), timed on `encodeImages` (batch 8, what the worker sends).
 */
export async function labVision(a: LabVisionArgs) {
  const { loadImageTextModel } = await import('../../src/models');
  const { configureOrt } = await import('../../src/runtime/ort-env');
  const { probeWebGpu } = await import('../../src/runtime/backend');
  configureTf(a.threads, false, 'default');
  // ORT's files as the lab's workers pick them (app/workers/model-load.ts): the plain build without WebGPU.
  const { hasRelaxedSimd } = await import('../../src/runtime/ort-wasm-patch');
  const { relaxedDotExact } = await import('../../src/runtime/ort-qgemm-probe');
  const relaxed = hasRelaxedSimd();
  configureOrt(new URL('/', self.location.href).href, a.threads, (await probeWebGpu()).webgpu, relaxed && !a.stockOrt);
  const t0 = performance.now();
  const model = await loadImageTextModel({ kind: 'url', baseUrl: hubBase(), id: a.model }, { dtype: a.dtype, device: 'wasm' });
  const loadMs = performance.now() - t0;
  const size = model.imageSize;
  const pixels = Array.from({ length: a.batch }, (_, i) => fakePixels(3 * size * size, i + 1));
  const step = async () => { await model.encodeImages(pixels, a.batch); };
  const tp = await throughput(step, a.batch, a.seconds);
  await model.dispose();
  return { ...tp, load_ms: loadMs, threads: a.threads, batch: a.batch, dtype: a.dtype, session: 'lab (src/models loadImageTextModel)',
    relaxed_simd: relaxed, sgemm_kernel: relaxed && !a.stockOrt ? 'lab FMA kernel (ort-wasm-patch)' : "ORT's own",
    qgemm_kernel: relaxed && !a.stockOrt && relaxedDotExact() ? 'lab u8 dot-product kernel (ort-qgemm-patch)' : "ORT's own" };
}
