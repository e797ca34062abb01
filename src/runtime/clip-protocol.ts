/**
 * The messages between the UI and the CLIP worker (called through Comlink). Plain data only:
 * everything here survives structured cloning (Files and Blobs included).
 */
import type { ModelSource } from './model-source';
import type { WebDevice, WebDtype, GpuProbe } from './backend';
import type { LoadSnapshot } from './progress';
import type { CachedModel, StorageEstimate } from './model-cache';
import type { PreprocessKind } from './preprocessor-presets';

export interface LoadRequest {
  source: ModelSource;
  device: WebDevice | 'auto';
  dtype: WebDtype | 'auto';
  /** the site's root URL, where ort/ lives */
  siteBase: string;
}

export interface LoadedModel {
  label: string;
  device: WebDevice;
  dtype: WebDtype;
  threads: number;
  dim: number;
  imageSize: number;
  /** WebGPU wanted but not used, and why */
  fallbackReason?: string;
  /** seconds the load took */
  seconds: number;
}

export interface ClassifyItem {
  id: string;
  name: string;
  /** absent for an image restored from a previous session: then `hash` finds its cached embedding */
  file?: Blob;
  hash?: string;
}

export interface ClassifyRequest {
  items: ClassifyItem[];
  classes: string[];
  templates: string[];
  batchSize?: number;
}

export type ItemResult =
  | { id: string; ok: true; hash: string; logits: number[]; probs: number[]; cached: boolean; thumb?: Blob }
  | { id: string; ok: false; hash?: string; error: string };

export type ClassifyEvent =
  | { type: 'text'; done: number; total: number }
  | { type: 'batch'; results: ItemResult[]; done: number; total: number }
  | { type: 'fallback'; reason: string; model: LoadedModel }
  | { type: 'notice'; message: string };

export interface ClassifySummary {
  done: number;
  total: number;
  errors: number;
  cancelled: boolean;
  seconds: number;
  /** prompts cut at 77 tokens */
  truncatedPrompts: string[];
}

export interface ClipWorkerApi {
  probe(): Promise<{ gpu: GpuProbe; threads: number; isolated: boolean }>;
  load(req: LoadRequest, onProgress: (s: LoadSnapshot) => void): Promise<LoadedModel>;
  cancelLoad(): void;
  /** `onEvent` is awaited (a Comlink proxy returns a promise): events arrive before the result. */
  classify(req: ClassifyRequest, onEvent: (e: ClassifyEvent) => void | Promise<void>): Promise<ClassifySummary>;
  cancelClassify(): void;
  /** decode + preprocess exactly as classification does; float32 CHW */
  preprocess(bytes: Uint8Array, name: string, kind: PreprocessKind): Promise<Float32Array>;
  listCache(): Promise<{ models: CachedModel[]; estimate: StorageEstimate | null; embeddings: number }>;
  clearCache(only?: { host: string; model: string }): Promise<void>;
  clearEmbeddings(): Promise<void>;
}
