/**
 * The messages between the UI and the CLIP worker (called through Comlink). Plain data only:
 * everything here survives structured cloning (Files and Blobs included).
 */
import type { LoadedInfo, LoadRequest, ModelLoaderApi } from './model-protocol';
import type { CachedModel, StorageEstimate } from './model-cache';
import type { PreprocessKind } from './preprocessor-presets';
import type { PreprocessorConfig } from '../clip/preprocess-config';
import type { FamilyId } from '../models/model';
import type { Scoring } from '../models/scoring';

export type { LoadRequest };

export interface LoadedModel extends LoadedInfo {
  dim: number;
  imageSize: number;
  /** the model family (src/models/families.ts) and its scoring: softmax over classes or a sigmoid per class */
  family: FamilyId;
  scoring: Scoring;
  /** text tokens the model sees at most (CLIP 77, SigLIP 64) */
  contextLength: number;
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
  | { type: 'notice'; message: string }
  /** browser storage is full: embeddings (or model files) are not being saved; the run goes on */
  | { type: 'storage-full' };

export interface ClassifySummary {
  done: number;
  total: number;
  errors: number;
  cancelled: boolean;
  seconds: number;
  /** prompts cut at the model's context length */
  truncatedPrompts: string[];
}

/** One live camera frame's zero-shot scores (the Live section of the CLIP panel). */
export interface FrameResult {
  logits: number[];
  probs: number[];
  width: number;
  height: number;
  /** read + preprocess + encode + score in the worker */
  ms: number;
}

export interface ClipWorkerApi extends ModelLoaderApi<LoadedModel> {
  /**
   * Scores one camera frame (transferred, closed here) as a still image would be: RGB, the model's
   * preprocessing, the image encoder, the family's scoring; class texts come from the same cache as classify.
   */
  classifyFrame(frame: ImageBitmap, classes: string[], templates: string[]): Promise<FrameResult>;
  /** the last frame classifyFrame scored, as a lossless PNG (null before any) */
  lastFramePng(): Promise<Blob | null>;

  /** `onEvent` is awaited (a Comlink proxy returns a promise): events arrive before the result. */
  classify(req: ClassifyRequest, onEvent: (e: ClassifyEvent) => void | Promise<void>): Promise<ClassifySummary>;
  cancelClassify(): void;
  /** decode + preprocess exactly as classification does; float32 CHW */
  preprocess(bytes: Uint8Array, name: string, kind: PreprocessKind): Promise<Float32Array>;
  listCache(): Promise<{ models: CachedModel[]; estimate: StorageEstimate | null; embeddings: number }>;
  clearCache(only?: { host: string; model: string }): Promise<void>;
  clearEmbeddings(): Promise<void>;

  // For the Explore panel, which shares this worker's model instead of loading a second copy.
  /**
   * L2-normalised text embeddings [texts, dim]. With `templates`, `texts` are class names and each row
   * is CLIP's prompt ensemble (mean of the normalised embeddings over the templates, normalised again).
   */
  embedTexts(texts: string[], templates?: string[]): Promise<{ embeds: Float32Array; dim: number; truncated: string[] }>;
  /** L2-normalised image embeddings from the IndexedDB cache, computing (and caching) the missing ones. */
  imageEmbeddings(items: ClassifyItem[], onProgress?: (done: number, total: number) => void | Promise<void>): Promise<ImageEmbeddings>;
  /** Preprocessed images (float32 CHW each) through the vision encoder: [N, dim], L2-normalised. */
  embedPixels(pixels: Float32Array[]): Promise<Float32Array>;
  /** the loaded model's preprocessing (resize, crop, normalisation) */
  preprocessorConfig(): Promise<PreprocessorConfig>;
  /** Serves this API on `port` too (e.g. to another worker). */
  connect(port: MessagePort): void;
}

export interface ImageEmbeddings {
  /** ids with an embedding, in input order */
  ids: string[];
  /** [ids, dim] */
  embeds: Float32Array;
  dim: number;
  /** per failed id: the reason */
  errors: { id: string; error: string }[];
  /** computed now (the rest came from the cache) */
  computed: number;
  model: LoadedModel;
}
