/**
 * Model loading as the CLIP and CLIPSeg workers both do it: GPU probe, backend choice, download
 * progress, one load at a time, a WASM retry when a WebGPU session fails to start, and the WebGPU
 * self-check (issue 21, item 4): before a model is used on WebGPU, one fixed computation (one image
 * embedding, one CLIPSeg logits map) runs on it and on a WASM session of the same model and precision;
 * a mismatch beyond EMBEDDING_TOLERANCE loads the model on WASM and says why. The verdict is
 * remembered per adapter and browser version (app/workers/gpu-trust.ts), so the check costs one extra
 * WASM load and two inferences once per machine.
 * Each worker passes its own `loadWith` (what to load, what to keep), `dispose` and self-check.
 */
import { chooseBackend, probeWebGpu, wasmThreads, type BackendChoice, type GpuProbe } from '../../src/runtime/backend';
import { configureOrt } from '../../src/runtime/ort-env';
import { ProgressTracker, type LoadSnapshot } from '../../src/runtime/progress';
import { EMBEDDING_TOLERANCE, type ProbeFigures } from '../../src/runtime/gpu-check';
import type { GpuCheckInfo, LoadedInfo, LoadRequest, WorkerProbe } from '../../src/runtime/model-protocol';
import { currentAdapterKey, forgetVerdicts, getVerdict, trustGpu } from './gpu-trust';

type OnProgress = (s: LoadSnapshot) => void;
export type LoadWith<T> = (req: LoadRequest, choice: BackendChoice, onProgress: OnProgress, signal: AbortSignal) => Promise<T>;

let gpuProbe: Promise<GpuProbe> | null = null;
/** the ORT build this worker's runtime started with (see load) */
let ortBuild: 'cpu' | 'webgpu' | undefined;
/** asked once per worker: requesting an adapter is slow */
export const probeGpu = (): Promise<GpuProbe> => (gpuProbe ??= probeWebGpu());

export async function probeWorker(): Promise<WorkerProbe> {
  return { gpu: await probeGpu(), threads: wasmThreads(), isolated: globalThis.crossOriginIsolated === true };
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** WASM instead of WebGPU, keeping the asked precision (q8 when it was automatic) and saying why. */
export function wasmChoice(req: LoadRequest, reason: string): BackendChoice {
  return { device: 'wasm', dtype: req.dtype === 'auto' ? 'q8' : req.dtype, threads: wasmThreads(), fallbackReason: reason };
}

/**
 * Runs `load` with transformers.js progress events folded into snapshots (sent at most every
 * 100 ms, and whenever a file finishes), and times it. Returns the model and what every model reports.
 */
export async function trackedLoad<M extends { label: string }>(
  choice: BackendChoice,
  onProgress: OnProgress,
  load: (onEvent: (e: unknown) => void) => Promise<M>,
): Promise<{ model: M; info: LoadedInfo }> {
  const tracker = new ProgressTracker();
  let last = 0;
  const t0 = performance.now();
  const model = await load((e) => {
    const ev = e as { status: string; file?: string; loaded?: number; total?: number };
    if (!tracker.update(ev)) return;
    const now = performance.now();
    if (ev.status === 'done' || now - last >= 100) {
      last = now;
      onProgress(tracker.snapshot());
    }
  });
  onProgress(tracker.snapshot());
  const { device, dtype, threads, fallbackReason } = choice;
  return { model, info: { label: model.label, device, dtype, threads, fallbackReason, ortBuild, seconds: (performance.now() - t0) / 1000 } };
}

/**
 * A model's WebGPU self-check: `run` computes one fixed thing on a loaded model (the same input every
 * time), `release` frees a model that will not be kept (the WASM reference, or the GPU model that failed).
 */
export interface GpuSelfCheck<T> {
  /** the verdict's name in lab-gpu-trust: 'clip-embed' | 'segment-embed' */
  kind: string;
  run(loaded: T): Promise<Float32Array>;
  release(loaded: T): Promise<void>;
}

/** The fixed synthetic input: a smooth pattern in the range of normalised pixels (about ±2), per channel. */
export function checkPixels(size: number): Float32Array {
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        out[(c * size + y) * size + x] = 1.8 * Math.sin((x * (c + 1) * 7) / size + (y * 5) / size + c) * Math.cos((x * y) / (size * size) * 9);
      }
    }
  }
  return out;
}

interface ImageTextLoaded {
  model: { encodeImages(pixels: Float32Array, batchSize?: number): Promise<Float32Array>; dispose(): Promise<void> };
  info: { imageSize: number };
}

/** The CLIP worker's check: one image embedding of `checkPixels(imageSize)`. */
export const CLIP_EMBED_CHECK: GpuSelfCheck<ImageTextLoaded> = {
  kind: 'clip-embed',
  run: (l) => l.model.encodeImages(checkPixels(l.info.imageSize), 1),
  release: (l) => l.model.dispose(),
};

/** The UI's line for a failed check (app/components/model-source/ModelStatus.tsx shows it translated). */
export const gpuCheckFailedReason = (reason: string | undefined) => `WebGPU failed this browser’s self-check (${reason ?? 'no reason given'})`;

/** Writes the verdict into the loaded model's info (both workers keep it as `info`), for the UI. */
function noteVerdict<T>(loaded: T, v: GpuCheckInfo): T {
  const info = (loaded as { info?: LoadedInfo }).info;
  if (info && typeof info === 'object') info.gpuCheck = v;
  return loaded;
}

const figures = (v: Float32Array): ProbeFigures => ({ loss: 0, grads: { output: Array.from(v) } });

/**
 * One load at a time: a new load aborts the one in progress and disposes the current model first
 * (two copies may not fit in GPU memory). If WebGPU fails to start (no memory, unsupported op,
 * lost device), the same model loads on WASM and the reason goes to the UI.
 * On WebGPU, the model is used only once it passed the worker's self-check (`check`) on this
 * adapter: a remembered failure loads on WASM directly; an unknown
 * adapter loads on WebGPU, runs the check against a WASM session of the same precision, and keeps
 * the GPU model or loads on WASM with the reason.
 */
export function modelLoader<T>(loadWith: LoadWith<T>, dispose: () => Promise<void>, check?: GpuSelfCheck<T>) {
  let loadAbort: AbortController | null = null;
  return {
    async load(req: LoadRequest, onProgress: OnProgress): Promise<T> {
      loadAbort?.abort();
      const abort = new AbortController();
      loadAbort = abort;
      const threads = wasmThreads();
      const gpu = await probeGpu();
      // ORT's plain build for a WASM request (smaller, and the only one with the lab's QGEMM), the
      // asyncify build where WebGPU may be asked for. A worker's ORT starts once with the first one
      // configured; the page restarts the worker when a load needs the other (app/stores/model-store.ts).
      ortBuild ??= gpu.webgpu && req.device !== 'wasm' ? 'webgpu' : 'cpu';
      configureOrt(req.siteBase, threads, ortBuild === 'webgpu', req.stockOrt ? false : undefined);
      let choice = chooseBackend(gpu, { device: req.device, dtype: req.dtype }, threads);
      await dispose();
      try {
        const wantGpu = choice.device === 'webgpu';
        const kind = check?.kind ?? 'unchecked';
        if (wantGpu && req.recheckGpu) await forgetVerdicts(kind).catch(() => undefined);
        // A verdict remembered for this adapter (not when a test forces one, nor on "check again").
        const remembered = wantGpu && !req.gpuCheck && !req.recheckGpu ? await rememberedVerdict(kind) : undefined;
        if (remembered && !remembered.ok) choice = wasmChoice(req, gpuCheckFailedReason(remembered.reason));
        let loaded: T;
        try {
          loaded = await loadWith(req, choice, onProgress, abort.signal);
        } catch (e) {
          if (abort.signal.aborted || choice.device !== 'webgpu') throw new Error(errorText(e));
          return await loadWith(req, wasmChoice(req, `WebGPU failed (${errorText(e)})`), onProgress, abort.signal);
        }
        if (!wantGpu) return loaded;
        if (remembered) return noteVerdict(loaded, remembered);
        const selfCheck = check;
        if (!selfCheck) return loaded;
        const verdict = await checkOnGpu(selfCheck, loaded, req, choice, abort.signal);
        if (verdict.ok) return noteVerdict(loaded, verdict);
        await selfCheck.release(loaded).catch(() => undefined);
        return noteVerdict(await loadWith(req, wasmChoice(req, gpuCheckFailedReason(verdict.reason)), onProgress, abort.signal), verdict);
      } finally {
        if (loadAbort === abort) loadAbort = null;
      }
    },
    cancel(): void {
      loadAbort?.abort(new Error('cancelled'));
    },
  };

  /**
   * Runs the check (or recalls a verdict stored meanwhile): the GPU model computes first, then a WASM session of
   * the same precision (fp32 when that precision does not load on WASM), released at once. No progress is shown
   * for the WASM session: its files are the ones just downloaded (or fp32's, in the browser cache afterwards).
   */
  async function checkOnGpu(c: GpuSelfCheck<T>, gpuModel: T, req: LoadRequest, choice: BackendChoice, signal: AbortSignal): Promise<GpuCheckInfo> {
    const silent = () => undefined;
    const onWasm = async (dtype: BackendChoice['dtype']) => {
      const ref = await loadWith(req, { device: 'wasm', dtype, threads: choice.threads }, silent, signal);
      try {
        return figures(await c.run(ref));
      } finally {
        await c.release(ref).catch(() => undefined);
      }
    };
    const t = await trustGpu(
      c.kind,
      EMBEDDING_TOLERANCE,
      async () => figures(await c.run(gpuModel)),
      () => onWasm(choice.dtype).catch((e: unknown) => (choice.dtype === 'fp32' || signal.aborted ? Promise.reject(e) : onWasm('fp32'))),
      req.gpuCheck,
    );
    return { ok: t.ok, reason: t.reason, fresh: t.fresh };
  }
}

/** This adapter's remembered verdict of `kind`, if any (storage errors: none). */
async function rememberedVerdict(kind: string): Promise<GpuCheckInfo | undefined> {
  try {
    const key = await currentAdapterKey();
    const v = key ? await getVerdict(kind, key) : undefined;
    return v ? { ok: v.ok, reason: v.reason, fresh: false } : undefined;
  } catch {
    return undefined;
  }
}
