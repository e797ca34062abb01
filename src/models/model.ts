/**
 * What every image-text model family gives the rest of the lab: two encoders into one embedding
 * space, the family's own scoring of a cosine, its tokenizer limits and its preprocessing.
 * Families live in src/models/<family>/ and are picked from config.json's model_type by the one
 * table in src/models/families.ts.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { RetryOptions } from '../runtime/retry-fetch';
import type { Scoring } from './scoring';
import type { Tokens } from './tokens';

export type ModelDtype = 'fp32' | 'fp16' | 'q8';
/** 'cpu' is onnxruntime-node; 'wasm' and 'webgpu' are onnxruntime-web in browsers. */
export type ModelDevice = 'wasm' | 'webgpu' | 'cpu';
export type FamilyId = 'clip' | 'siglip';

/** transformers.js progress events (initiate, download, progress {loaded,total}, done, progress_total, ready). */
export interface LoadProgress {
  status: string;
  name?: string;
  file?: string;
  progress?: number;
  loaded?: number;
  total?: number;
}

export interface LoadOptions {
  dtype?: ModelDtype;
  device?: ModelDevice;
  onProgress?: (e: LoadProgress) => void;
  /** aborts the downloads */
  signal?: AbortSignal;
  /** retries and timeouts of the downloads (see src/runtime/retry-fetch.ts) */
  network?: RetryOptions;
}

export interface TextEmbeddings {
  /** [count, dim], L2-normalised rows */
  embeds: Float32Array;
  count: number;
  dim: number;
  /** per text: true when it exceeded the family's context length and was cut */
  truncated: boolean[];
}

export interface ImageTextModel {
  readonly family: FamilyId;
  readonly label: string;
  readonly dtype: ModelDtype;
  readonly device: ModelDevice | undefined;
  /** embedding size */
  readonly dim: number;
  /** side of the square input image (vision_config.image_size) */
  readonly imageSize: number;
  /** text tokens the model sees at most (CLIP 77, SigLIP 64) */
  readonly contextLength: number;
  /** how a cosine becomes a logit and logits become probabilities (src/models/scoring.ts) */
  readonly scoring: Scoring;
  /** the model's `preprocessor_config.json`, as parsed JSON (for src/clip/preprocess.ts) */
  readonly preprocessorConfig: Record<string, unknown>;
  readonly tokenizer: PreTrainedTokenizer;
  encodeTexts(texts: readonly string[], batchSize?: number): Promise<TextEmbeddings>;
  /**
   * Pixel values of N images, each [3,S,S]: one packed array or a list. Returns [N, dim], L2-normalised.
   * Note: q8 models quantise activations per batch tensor, so with q8 an embedding depends slightly
   * on its batch mates (max abs ~8e-3 on the CLIP fixture); fp32/fp16 are batch-independent.
   */
  encodeImages(pixels: Float32Array | readonly Float32Array[], batchSize?: number): Promise<Float32Array>;
  /** Unnormalised text embeddings (tokens as the family makes them, or as given), for parity tests. */
  rawTextEmbeds(texts: readonly string[], tokens?: Tokens): Promise<Float32Array>;
  rawImageEmbeds(pixels: Float32Array, count: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** A model that could not be loaded; `model` names it, `reason` says why. */
export class ModelLoadError extends Error {
  constructor(
    readonly model: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`cannot load model ${model}: ${reason}`, { cause });
    this.name = 'ModelLoadError';
  }
}
