/**
 * The CLIPSeg worker's API (types shared with app/workers/segment.worker.ts) and its client:
 * one worker per page, created on first use, recreated if it crashes. Callbacks are Comlink proxies.
 */
import * as Comlink from 'comlink';
import type { LoadRequest } from '../../src/runtime/clip-protocol';
import type { GpuProbe, WebDevice, WebDtype } from '../../src/runtime/backend';
import type { LoadSnapshot } from '../../src/runtime/progress';

export type { LoadRequest };

export interface LoadedSegModel {
  label: string;
  device: WebDevice;
  dtype: WebDtype;
  threads: number;
  /** WebGPU wanted but not used, and why */
  fallbackReason?: string;
  seconds: number;
}

export interface SegImageInfo {
  name: string;
  /** size after EXIF orientation: the size of every exported map */
  width: number;
  height: number;
  /** the decoded image as the model saw it (before resizing), for the canvas */
  bitmap: ImageBitmap;
}

export type SegView = 'heatmap' | 'mask' | 'labels';

export interface RenderLayer {
  prompt: string;
  /** [r, g, b] 0..255 */
  color: [number, number, number];
}

export interface RenderRequest {
  /** drawn in this order; in the labels view the earlier prompt wins ties */
  layers: RenderLayer[];
  view: SegView;
  threshold: number;
  /** 0..1 */
  opacity: number;
}

export interface SegmentRun {
  /** prompts actually sent to the model (the others came from the cache) */
  computed: string[];
  seconds: number;
  /** prompts cut at 77 tokens */
  truncated: string[];
  /** set when WebGPU failed during the run and the model was reloaded on WASM */
  fallback?: LoadedSegModel;
}

export interface SegmentWorkerApi {
  probe(): Promise<{ gpu: GpuProbe; threads: number; isolated: boolean }>;
  load(req: LoadRequest, onProgress: (s: LoadSnapshot) => void): Promise<LoadedSegModel>;
  cancelLoad(): void;
  /** decode (EXIF applied) + preprocess; clears the cached logits of the previous image */
  setImage(file: Blob, name: string): Promise<SegImageInfo>;
  /** runs the prompts not cached yet for this image and model, in one batch */
  segment(prompts: string[]): Promise<SegmentRun>;
  /** overlay RGBA at the image's size (transparent where nothing is drawn) */
  render(req: RenderRequest): Promise<ImageBitmap>;
  /** every prompt's probability at image pixel (x, y) */
  probabilitiesAt(prompts: string[], x: number, y: number): Promise<number[]>;
  /** 8-bit gray PNG at the image's size: one prompt's mask (0/255), or the labels view (prompt index + 1, 0 = background) */
  maskPng(req: { prompts: string[]; threshold: number; kind: 'mask' | 'labels' }): Promise<Uint8Array>;
  /** the image with the overlay drawn on it, PNG */
  overlayPng(req: RenderRequest): Promise<Blob>;
  /** float32 little-endian [prompts, 352, 352]: sigmoid of the logits, or the logits themselves */
  rawMaps(prompts: string[], kind: 'probabilities' | 'logits'): Promise<Float32Array>;
}

let worker: Worker | null = null;
let remote: Comlink.Remote<SegmentWorkerApi> | null = null;
const crashListeners = new Set<(message: string) => void>();

export function segmentWorker(): Comlink.Remote<SegmentWorkerApi> {
  if (!remote) {
    worker = new Worker(new URL('./segment.worker.ts', import.meta.url), { type: 'module', name: 'segment' });
    worker.addEventListener('error', (e) => {
      const msg = e.message || 'unknown error';
      crashListeners.forEach((l) => l(msg));
      resetSegmentWorker();
    });
    remote = Comlink.wrap<SegmentWorkerApi>(worker);
  }
  return remote;
}

export function resetSegmentWorker(): void {
  worker?.terminate();
  worker = null;
  remote = null;
}

export function onSegmentWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

export const proxy = Comlink.proxy;
