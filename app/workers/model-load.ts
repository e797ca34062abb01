/**
 * Model loading as the CLIP and CLIPSeg workers both do it: GPU probe, backend choice, download
 * progress, one load at a time, and a WASM retry when a WebGPU session fails to start.
 * Each worker passes its own `loadWith` (what to load, what to keep) and `dispose`.
 */
import { chooseBackend, probeWebGpu, wasmThreads, type BackendChoice, type GpuProbe } from '../../src/runtime/backend';
import { configureOrt } from '../../src/runtime/ort-env';
import { ProgressTracker, type LoadSnapshot } from '../../src/runtime/progress';
import type { LoadedInfo, LoadRequest, WorkerProbe } from '../../src/runtime/model-protocol';

type OnProgress = (s: LoadSnapshot) => void;
export type LoadWith<T> = (req: LoadRequest, choice: BackendChoice, onProgress: OnProgress, signal: AbortSignal) => Promise<T>;

let gpuProbe: Promise<GpuProbe> | null = null;
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
  return { model, info: { label: model.label, device, dtype, threads, fallbackReason, seconds: (performance.now() - t0) / 1000 } };
}

/**
 * One load at a time: a new load aborts the one in progress and disposes the current model first
 * (two copies may not fit in GPU memory). If WebGPU fails to start (no memory, unsupported op,
 * lost device), the same model loads on WASM and the reason goes to the UI.
 */
export function modelLoader<T>(loadWith: LoadWith<T>, dispose: () => Promise<void>) {
  let loadAbort: AbortController | null = null;
  return {
    async load(req: LoadRequest, onProgress: OnProgress): Promise<T> {
      loadAbort?.abort();
      const abort = new AbortController();
      loadAbort = abort;
      const threads = wasmThreads();
      configureOrt(req.siteBase, threads);
      const choice = chooseBackend(await probeGpu(), { device: req.device, dtype: req.dtype }, threads);
      await dispose();
      try {
        return await loadWith(req, choice, onProgress, abort.signal);
      } catch (e) {
        if (abort.signal.aborted || choice.device !== 'webgpu') throw new Error(errorText(e));
        return await loadWith(req, wasmChoice(req, `WebGPU failed (${errorText(e)})`), onProgress, abort.signal);
      } finally {
        if (loadAbort === abort) loadAbort = null;
      }
    },
    cancel(): void {
      loadAbort?.abort(new Error('cancelled'));
    },
  };
}
