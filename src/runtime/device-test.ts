/**
 * "Test this device": which backend × precision × threads runs the chosen image-text model fastest
 * here, and does each one give the same embeddings as WASM fp32 (the reference)? Framework-free:
 * the device worker (app/workers/device.worker.ts) drives it in browsers, vitest drives it on
 * onnxruntime-node. The report is bench-shaped (`results`, `ratios`, `runs`: bench/run.ts,
 * docs/benchmarks/) so a user's file can be set beside the published ones.
 */
import type { ImageTextModel, ModelDevice, ModelDtype } from '../models/model';

export interface DeviceConfig {
  device: ModelDevice;
  dtype: ModelDtype;
  /** WASM threads (onnxruntime-web's numThreads); 0 for WebGPU (threads do not apply) */
  threads: number;
}

/** A stable id: `webgpu-fp16`, `wasm-q8-t2`, `cpu-fp32-t1`. */
export function configId(c: DeviceConfig): string {
  return c.device === 'webgpu' ? `${c.device}-${c.dtype}` : `${c.device}-${c.dtype}-t${c.threads}`;
}

/**
 * Smallest cosine to the reference that still counts as "the same model". fp32 differs from the
 * reference by summation order only (~1e-6); fp16 loses mantissa (~1e-4); q8 quantises weights and
 * activations (real CLIP ViT-B/32 image embeddings: ~0.98-0.99; the tiny fixture: 0.9995).
 */
export const AGREEMENT_TOLERANCE: Record<ModelDtype, number> = { fp32: 0.999, fp16: 0.99, q8: 0.97 };

/** BatchNorm-only training: the first loss may differ from WASM's by this much, relative (|Δ| / max(1, |wasm|)). */
export const LOSS_TOLERANCE = 1e-3;

export interface DeviceProbe {
  webgpu: boolean;
  /** the WebGPU adapter has shader-f16 */
  fp16: boolean;
  /** logical cores (navigator.hardwareConcurrency) */
  cores: number;
  /** cross-origin isolated: WASM threads are possible */
  isolated: boolean;
}

/** Thread counts tried: 1, 2, 4, ... up to the core count, and the core count itself (1 when not isolated). */
export function threadCounts(cores: number, isolated: boolean): number[] {
  const max = isolated ? Math.max(1, Math.floor(cores)) : 1;
  const out: number[] = [];
  for (let t = 1; t < max; t *= 2) out.push(t);
  out.push(max);
  return out;
}

/**
 * Every setting to measure, grouped by what must share one ONNX Runtime instance: WASM's thread
 * count is fixed when its runtime starts, and a WebGPU failure breaks the whole runtime (see
 * src/runtime/gpu-lost.ts), so each thread count and WebGPU get a fresh worker of their own.
 * The first group starts with the reference, WASM fp32 at the thread count the lab uses.
 */
export function planDeviceTest(probe: DeviceProbe): DeviceConfig[][] {
  const counts = threadCounts(probe.cores, probe.isolated);
  const labThreads = counts[counts.length - 1];
  const wasmGroup = (threads: number): DeviceConfig[] => [
    { device: 'wasm', dtype: 'fp32', threads },
    { device: 'wasm', dtype: 'q8', threads },
  ];
  const groups: DeviceConfig[][] = [wasmGroup(labThreads), ...counts.slice(0, -1).reverse().map(wasmGroup)];
  if (probe.webgpu) {
    const gpu: DeviceConfig[] = [{ device: 'webgpu', dtype: 'fp32', threads: 0 }];
    if (probe.fp16) gpu.unshift({ device: 'webgpu', dtype: 'fp16', threads: 0 });
    groups.push(gpu);
  }
  return groups;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Smallest row cosine between two packed [n, dim] sets of L2-normalised rows (renormalised here anyway). */
export function minCosine(a: Float32Array, b: Float32Array, dim: number): number {
  if (a.length !== b.length || a.length % dim) throw new Error(`cannot compare ${a.length} and ${b.length} values of dimension ${dim}`);
  let worst = Infinity;
  for (let r = 0; r < a.length / dim; r++) {
    let d = 0;
    let na = 0;
    let nb = 0;
    for (let j = r * dim; j < (r + 1) * dim; j++) {
      d += a[j] * b[j];
      na += a[j] * a[j];
      nb += b[j] * b[j];
    }
    const c = na && nb ? d / Math.sqrt(na * nb) : 0;
    worst = Math.min(worst, Number.isFinite(c) ? c : -1);
  }
  return worst;
}

export interface Timing {
  /** every timed repetition, milliseconds (after one untimed warm-up call) */
  runs_ms: number[];
  median_ms: number;
  min_ms: number;
  max_ms: number;
  /** the warm-up call (WebGPU compiles its shaders there) */
  warmup_ms: number;
  /** items per call */
  items: number;
  /** items per second at the median */
  per_s: number;
}

export interface ConfigMeasurement {
  config: DeviceConfig;
  id: string;
  /** seconds to create the sessions (model files from the browser cache) */
  load_s: number;
  image?: Timing;
  text?: Timing;
  /** the last repetition's embeddings, for the agreement check */
  imageEmbeds?: Float32Array;
  textEmbeds?: Float32Array;
  dim?: number;
  /** the setting could not run here (session creation or inference failed) */
  error?: string;
}

export interface MeasureOptions {
  /** preprocessed images, [3,S,S] each (the same for every setting) */
  pixels: readonly Float32Array[];
  texts: readonly string[];
  repeats: number;
  signal?: AbortSignal;
  /** called after each timed call */
  onStep?: (what: 'image' | 'text', done: number, total: number) => void;
  now?: () => number;
}

function aborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

async function timeCalls<T>(repeats: number, items: number, call: () => Promise<T>, o: MeasureOptions, what: 'image' | 'text'): Promise<{ timing: Timing; last: T }> {
  const now = o.now ?? (() => performance.now());
  aborted(o.signal);
  let t = now();
  let last = await call();
  const warmup_ms = now() - t;
  const runs_ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    aborted(o.signal);
    t = now();
    last = await call();
    runs_ms.push(now() - t);
    o.onStep?.(what, r + 1, repeats);
  }
  const med = median(runs_ms);
  return {
    timing: { runs_ms, median_ms: med, min_ms: Math.min(...runs_ms), max_ms: Math.max(...runs_ms), warmup_ms, items, per_s: med > 0 ? (items * 1000) / med : Infinity },
    last,
  };
}

/** Times image encoding (all images in one batch) and text encoding (all texts), one warm-up then `repeats` each. */
export async function measureModel(model: Pick<ImageTextModel, 'encodeImages' | 'encodeTexts' | 'dim'>, o: MeasureOptions): Promise<Omit<ConfigMeasurement, 'config' | 'id' | 'load_s'>> {
  const repeats = Math.max(1, Math.floor(o.repeats));
  const img = await timeCalls(repeats, o.pixels.length, () => model.encodeImages(o.pixels, o.pixels.length), o, 'image');
  const txt = await timeCalls(repeats, o.texts.length, () => model.encodeTexts(o.texts), o, 'text');
  return { image: img.timing, text: txt.timing, imageEmbeds: img.last, textEmbeds: txt.last.embeds, dim: model.dim };
}

export type Verdict = 'reference' | 'ok' | 'wrong' | 'failed';

export interface DeviceRow {
  id: string;
  config: DeviceConfig;
  verdict: Verdict;
  load_s: number;
  image?: Timing;
  text?: Timing;
  /** smallest cosine to the reference, image and text embeddings (undefined without a reference) */
  image_min_cosine?: number;
  text_min_cosine?: number;
  /** min of the two: what the table shows */
  min_cosine?: number;
  tolerance: number;
  /** image encoding per image, median (ms) */
  ms_per_image?: number;
  error?: string;
}

/** The reference: WASM fp32, the most threads measured (any WASM fp32 row otherwise). */
export function referenceOf(ms: readonly ConfigMeasurement[]): ConfigMeasurement | undefined {
  const fp32 = ms.filter((m) => m.config.device !== 'webgpu' && m.config.dtype === 'fp32' && !m.error && m.imageEmbeds && m.textEmbeds);
  return fp32.sort((a, b) => b.config.threads - a.config.threads)[0];
}

/** Agreement and verdict per measured setting. Without a reference nothing can be called correct. */
export function judge(ms: readonly ConfigMeasurement[]): DeviceRow[] {
  const ref = referenceOf(ms);
  return ms.map((m) => {
    const tolerance = AGREEMENT_TOLERANCE[m.config.dtype];
    const row: DeviceRow = { id: m.id, config: m.config, verdict: 'failed', load_s: m.load_s, image: m.image, text: m.text, tolerance, error: m.error };
    if (m.image) row.ms_per_image = m.image.median_ms / m.image.items;
    if (m.error || !m.imageEmbeds || !m.textEmbeds) return row;
    if (!ref || m.dim !== ref.dim) {
      row.verdict = 'wrong';
      row.error ??= ref ? `embedding size ${m.dim} differs from the reference's ${ref.dim}` : 'no WASM fp32 reference to compare with';
      return row;
    }
    row.image_min_cosine = minCosine(m.imageEmbeds, ref.imageEmbeds!, ref.dim!);
    row.text_min_cosine = minCosine(m.textEmbeds, ref.textEmbeds!, ref.dim!);
    row.min_cosine = Math.min(row.image_min_cosine, row.text_min_cosine);
    row.verdict = m === ref ? 'reference' : row.min_cosine >= tolerance ? 'ok' : 'wrong';
    return row;
  });
}

/**
 * The fastest correct setting the lab can apply (its CLIP worker runs WASM on every core it has, so
 * WASM rows at fewer threads inform but are not offered): lowest median image-encoding time per image.
 */
export function recommend(rows: readonly DeviceRow[], labThreads: number): DeviceRow | undefined {
  const ok = rows.filter((r) => (r.verdict === 'ok' || r.verdict === 'reference') && r.ms_per_image !== undefined);
  const applicable = ok.filter((r) => r.config.device === 'webgpu' || r.config.threads === labThreads);
  return applicable.sort((a, b) => a.ms_per_image! - b.ms_per_image! || (a.text?.median_ms ?? 0) - (b.text?.median_ms ?? 0))[0];
}

// ---------------- BatchNorm-only training ----------------

export interface TrainMeasurement {
  /** the TF.js backend asked for, and the one that ran (a failed start falls back) */
  backend: string;
  ran?: string;
  threads?: number;
  /** a software GPU adapter (SwiftShader, llvmpipe): the lab never picks it by itself */
  software?: boolean;
  first_loss?: number;
  /** the first step (includes kernel compilation) and the second (steady), ms */
  first_step_ms?: number;
  step_ms?: number;
  error?: string;
}

export interface TrainRow extends TrainMeasurement {
  verdict: Verdict;
  /** |loss - wasm loss| / max(1, |wasm loss|) */
  loss_diff?: number;
}

export function judgeTraining(ms: readonly TrainMeasurement[]): TrainRow[] {
  const ref = ms.find((m) => m.backend === 'wasm' && m.ran === 'wasm' && m.first_loss !== undefined && Number.isFinite(m.first_loss));
  return ms.map((m) => {
    if (m.error || m.first_loss === undefined || m.ran !== m.backend) return { ...m, verdict: 'failed', error: m.error ?? (m.ran ? `${m.backend} did not start (${m.ran} ran instead)` : undefined) };
    if (m === ref) return { ...m, verdict: 'reference', loss_diff: 0 };
    if (!ref) return { ...m, verdict: 'wrong', error: 'no WASM loss to compare with' };
    const loss_diff = Math.abs(m.first_loss - ref.first_loss!) / Math.max(1, Math.abs(ref.first_loss!));
    return { ...m, verdict: Number.isFinite(loss_diff) && loss_diff <= LOSS_TOLERANCE ? 'ok' : 'wrong', loss_diff };
  });
}

// ---------------- the report ----------------

export interface DeviceReportInput {
  model: { label: string; family: string; dim: number; imageSize: number };
  probe: DeviceProbe & { adapter?: string; userAgent?: string };
  repeats: number;
  images: string[];
  texts: readonly string[];
  rows: readonly DeviceRow[];
  training: readonly TrainRow[];
  recommendation?: DeviceRow;
  cancelled: boolean;
  elapsed_s: number;
  date: string;
}

const round = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? x : Number(x.toFixed(d)));

/**
 * The results as JSON, shaped like the bench's (bench/run.ts): `machine`, `options`, `results` (one
 * figure per name: `device.vision.<id>` in img/s, `device.text.<id>` in prompts/s,
 * `device.train.<backend>` in ms per step), `ratios` (each setting against WASM fp32 at the lab's
 * threads, from medians), `runs` (every timed repetition), `notes`.
 */
export function deviceReport(r: DeviceReportInput) {
  const ref = r.rows.find((x) => x.verdict === 'reference');
  const results: Record<string, unknown>[] = [];
  const ratios: Record<string, number> = {};
  const runs: Record<string, Record<string, unknown>[]> = {};
  for (const row of r.rows) {
    const common = { device: row.config.device, dtype: row.config.dtype, threads: row.config.threads || undefined, verdict: row.verdict, min_cosine: round(row.min_cosine, 6), image_min_cosine: round(row.image_min_cosine, 6), text_min_cosine: round(row.text_min_cosine, 6), tolerance: row.tolerance, load_s: round(row.load_s), error: row.error };
    const key = row.id.replace(/-/g, '_');
    if (row.image) {
      results.push({ name: `device.vision.${row.id}`, value: round(row.image.per_s, 2), unit: 'img/s', batch: row.image.items, runs: row.image.runs_ms.length, median_ms: round(row.image.median_ms, 2), min_ms: round(row.image.min_ms, 2), max_ms: round(row.image.max_ms, 2), warmup_ms: round(row.image.warmup_ms, 1), ms_per_image: round(row.ms_per_image, 2), ...common });
      runs[`vision_${key}`] = row.image.runs_ms.map((ms, i) => ({ rep: i, ms: round(ms, 2) }));
    }
    if (row.text) {
      results.push({ name: `device.text.${row.id}`, value: round(row.text.per_s, 2), unit: 'prompts/s', batch: row.text.items, runs: row.text.runs_ms.length, median_ms: round(row.text.median_ms, 2), min_ms: round(row.text.min_ms, 2), max_ms: round(row.text.max_ms, 2), warmup_ms: round(row.text.warmup_ms, 1), ...common });
      runs[`text_${key}`] = row.text.runs_ms.map((ms, i) => ({ rep: i, ms: round(ms, 2) }));
    }
    if (!row.image && !row.text) results.push({ name: `device.vision.${row.id}`, value: null, unit: 'img/s', ...common });
    if (ref && row !== ref && row.image && ref.image) {
      ratios[`vision_${key}_vs_wasm_fp32`] = round(row.image.per_s / ref.image.per_s, 3)!;
      if (row.text && ref.text) ratios[`text_${key}_vs_wasm_fp32`] = round(row.text.per_s / ref.text.per_s, 3)!;
    }
  }
  const wasmTrain = r.training.find((t) => t.verdict === 'reference');
  for (const t of r.training) {
    results.push({ name: `device.train.${t.backend}`, value: round(t.step_ms, 1) ?? null, unit: 'ms/step', ran: t.ran, threads: t.threads, software_adapter: t.software, first_step_ms: round(t.first_step_ms, 1), first_loss: round(t.first_loss, 6), loss_diff: round(t.loss_diff, 6), loss_tolerance: LOSS_TOLERANCE, verdict: t.verdict, error: t.error });
    if (wasmTrain?.step_ms && t !== wasmTrain && t.step_ms) ratios[`train_${t.backend}_vs_wasm`] = round(wasmTrain.step_ms / t.step_ms, 3)!;
  }
  const notes = [
    'device test (app page "Test this device"): value = items per second at the median of the timed runs (one untimed warm-up first); ratios = speed of a setting over WASM fp32 at the lab\'s thread count (> 1: faster).',
    `agreement: smallest cosine of a setting's image and text embeddings to WASM fp32's on the same inputs; below the tolerance (${Object.entries(AGREEMENT_TOLERANCE).map(([k, v]) => `${k} ${v}`).join(', ')}) the setting is marked wrong and never recommended.`,
    `training: one BatchNorm-only step per TF.js backend from the same initialisation; first loss compared with WASM's (relative tolerance ${LOSS_TOLERANCE}).`,
  ];
  if (r.cancelled) notes.push('the test was cancelled: some settings were not measured');
  return {
    schema: 'clip-lab/device-test@1',
    machine: { user_agent: r.probe.userAgent, cores: r.probe.cores, cross_origin_isolated: r.probe.isolated, webgpu: r.probe.webgpu, shader_f16: r.probe.fp16, gpu_adapter: r.probe.adapter, date: r.date },
    options: { model: r.model.label, family: r.model.family, dim: r.model.dim, image_size: r.model.imageSize, repeats: r.repeats, images: r.images, texts: r.texts, agreement_tolerance: AGREEMENT_TOLERANCE, loss_tolerance: LOSS_TOLERANCE, elapsed_s: round(r.elapsed_s, 1), cancelled: r.cancelled },
    recommendation: r.recommendation ? { id: r.recommendation.id, device: r.recommendation.config.device, dtype: r.recommendation.config.dtype, threads: r.recommendation.config.threads || undefined, ms_per_image: round(r.recommendation.ms_per_image, 2) } : null,
    results,
    ratios,
    runs,
    notes,
  };
}

export type DeviceReport = ReturnType<typeof deviceReport>;
