/**
 * A CLIP model as two encoders: split `text_model` / `vision_model` ONNX files loaded through
 * transformers.js v4 (onnxruntime-web in browsers, onnxruntime-node in Node).
 *
 * Image preprocessing is NOT transformers.js's (it differs from the reference, see
 * src/clip/preprocess.ts): encodeImages takes pixel values already made, [3,224,224] CHW each.
 */
import {
  AutoConfig,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  ImageProcessor,
  Tensor,
  type PreTrainedTokenizer,
  type PreTrainedModel,
} from '@huggingface/transformers';
import { pretrainedId, sourceLabel, sourceRevision, withModelSource, type ModelSource } from '../runtime/model-source';
import type { RetryOptions } from '../runtime/retry-fetch';
import { tokenizeClip, type Padding } from './tokenize';
import { normalizeRows } from './vector';

export type ClipDtype = 'fp32' | 'fp16' | 'q8';
/** 'cpu' is onnxruntime-node; 'wasm' and 'webgpu' are onnxruntime-web in browsers. */
export type ClipDevice = 'wasm' | 'webgpu' | 'cpu';

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
  dtype?: ClipDtype;
  device?: ClipDevice;
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
  /** per text: true when it exceeded 77 tokens and was cut (CLIP sees only the start) */
  truncated: boolean[];
}

export interface ClipModel {
  readonly label: string;
  readonly dtype: ClipDtype;
  readonly device: ClipDevice | undefined;
  /** embedding size (projection_dim) */
  readonly dim: number;
  /** side of the square input image (vision_config.image_size) */
  readonly imageSize: number;
  /** the model's `preprocessor_config.json`, as parsed JSON (for src/clip/preprocess.ts) */
  readonly preprocessorConfig: Record<string, unknown>;
  readonly tokenizer: PreTrainedTokenizer;
  encodeTexts(texts: readonly string[], batchSize?: number): Promise<TextEmbeddings>;
  /**
   * Pixel values of N images, each [3,S,S]: one packed array or a list. Returns [N, dim], L2-normalised.
   * Note: q8 models quantise activations per batch tensor, so with q8 an embedding depends slightly
   * on its batch mates (max abs ~8e-3 on the fixture); fp32/fp16 are batch-independent.
   */
  encodeImages(pixels: Float32Array | readonly Float32Array[], batchSize?: number): Promise<Float32Array>;
  /** Unnormalised outputs, for parity tests and callers that want the raw projection. */
  rawTextEmbeds(texts: readonly string[], padding?: Padding): Promise<Float32Array>;
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

/** Error text with the network cause spelled out ("fetch failed" alone does not help anyone). */
function describeLoadError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // A picked folder's files are served from a pseudo host: name the file, not that URL.
  const missing = /Could not locate file: "https:\/\/model-files\.invalid\/[^"]*?\/resolve\/[^/]+\/([^"]+)"/.exec(e.message);
  if (missing) return `the folder has no file ${missing[1]}`;
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail && !e.message.includes(detail) ? `${e.message} (${detail}; offline? give a model folder instead)` : e.message;
}

const DTYPE_SUFFIX: Record<ClipDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized' };

/** Names the file an error came from, unless the message already does. */
function inFile<T>(file: string, p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    throw msg.includes(file) ? e : new Error(`${file}: ${msg}`, { cause: e });
  });
}

/** A picked folder's JSON files must parse: say which one does not (transformers.js does not). */
async function checkJsonFiles(source: ModelSource): Promise<void> {
  if (source.kind !== 'files') return;
  for (const f of ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    const v = source.files.get(f);
    if (v === undefined) continue;
    const text = v instanceof Blob ? await v.text() : new TextDecoder().decode(v);
    try {
      JSON.parse(text);
    } catch (e) {
      throw new Error(`${f} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
}

/** Loads tokenizer, text and vision encoders, and the preprocessor config of a CLIP model. */
export async function loadClip(source: ModelSource, opts: LoadOptions = {}): Promise<ClipModel> {
  const dtype = opts.dtype ?? 'fp32';
  const device = opts.device;
  const id = pretrainedId(source);
  const common = {
    revision: sourceRevision(source),
    progress_callback: opts.onProgress as ((e: unknown) => void) | undefined,
  };
  const label = sourceLabel(source);
  const { tokenizer, text, vision, pre } = await withModelSource(
    source,
    async () => {
      // config.json first: a wrong id/URL/folder fails here with the file's location in the
      // message, instead of a tokenizer TypeError on a missing tokenizer_config.json.
      await checkJsonFiles(source);
      const config = await AutoConfig.from_pretrained(id, common);
      const c = config as unknown as { model_type?: string; text_config?: unknown; vision_config?: unknown };
      if (!c.text_config || !c.vision_config) {
        throw new Error(`config.json describes a model of type "${c.model_type ?? 'unknown'}", not a CLIP model (no text_config and vision_config)`);
      }
      const modelOpts = { ...common, config, dtype, ...(device ? { device } : {}) };
      const sfx = DTYPE_SUFFIX[dtype];
      const [tokenizer, text, vision, pre] = await Promise.all([
        inFile('tokenizer.json', AutoTokenizer.from_pretrained(id, common)),
        inFile(`onnx/text_model${sfx}.onnx`, CLIPTextModelWithProjection.from_pretrained(id, modelOpts)),
        inFile(`onnx/vision_model${sfx}.onnx`, CLIPVisionModelWithProjection.from_pretrained(id, modelOpts)),
        inFile('preprocessor_config.json', ImageProcessor.from_pretrained(id, common)),
      ]);
      return { tokenizer, text, vision, pre };
    },
    opts.signal,
    opts.network,
  ).catch((e: unknown) => {
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw new ModelLoadError(label, describeLoadError(e), e);
  });
  return new SplitClip(label, dtype, device, tokenizer, text, vision, pre.config as Record<string, unknown>);
}

interface ModelConfig {
  projection_dim?: number;
  vision_config?: { image_size?: number; projection_dim?: number };
}

class SplitClip implements ClipModel {
  readonly dim: number;
  readonly imageSize: number;

  constructor(
    readonly label: string,
    readonly dtype: ClipDtype,
    readonly device: ClipDevice | undefined,
    readonly tokenizer: PreTrainedTokenizer,
    private readonly text: PreTrainedModel,
    private readonly vision: PreTrainedModel,
    readonly preprocessorConfig: Record<string, unknown>,
  ) {
    const cfg = text.config as unknown as ModelConfig;
    this.dim = cfg.projection_dim ?? 512;
    this.imageSize = (vision.config as unknown as ModelConfig).vision_config?.image_size ?? 224;
  }

  async rawTextEmbeds(texts: readonly string[], padding: Padding = 'longest'): Promise<Float32Array> {
    return (await this.runText(texts, padding)).embeds;
  }

  private async runText(texts: readonly string[], padding: Padding) {
    const t = tokenizeClip(this.tokenizer, texts, padding);
    const dims = [t.count, t.length];
    const out = await this.text({
      input_ids: new Tensor('int64', t.inputIds, dims),
      attention_mask: new Tensor('int64', t.attentionMask, dims),
    });
    return { embeds: Float32Array.from(out.text_embeds.data as Float32Array), truncated: t.truncated };
  }

  async encodeTexts(texts: readonly string[], batchSize = 64): Promise<TextEmbeddings> {
    const embeds = new Float32Array(texts.length * this.dim);
    const truncated: boolean[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      // Padding to the longest prompt of the batch: CLIP's text attention is causal, so pads
      // after the end-of-text token change nothing (checked against 77-padded golden embeddings).
      const r = await this.runText(texts.slice(i, i + batchSize), 'longest');
      embeds.set(r.embeds, i * this.dim);
      truncated.push(...r.truncated);
    }
    return { embeds: normalizeRows(embeds, this.dim), count: texts.length, dim: this.dim, truncated };
  }

  async rawImageEmbeds(pixels: Float32Array, count: number): Promise<Float32Array> {
    const s = this.imageSize;
    const out = await this.vision({ pixel_values: new Tensor('float32', pixels, [count, 3, s, s]) });
    return Float32Array.from(out.image_embeds.data as Float32Array);
  }

  async encodeImages(pixels: Float32Array | readonly Float32Array[], batchSize = 8): Promise<Float32Array> {
    const per = 3 * this.imageSize * this.imageSize;
    const list = pixels instanceof Float32Array ? null : pixels;
    const count = list ? list.length : (pixels as Float32Array).length / per;
    if (!Number.isInteger(count)) throw new Error(`pixel values: length is not a multiple of 3x${this.imageSize}x${this.imageSize}`);
    const embeds = new Float32Array(count * this.dim);
    for (let i = 0; i < count; i += batchSize) {
      const n = Math.min(batchSize, count - i);
      let batch: Float32Array;
      if (list) {
        batch = new Float32Array(n * per);
        for (let k = 0; k < n; k++) {
          if (list[i + k].length !== per) throw new Error(`pixel values of image ${i + k}: expected ${per} floats, got ${list[i + k].length}`);
          batch.set(list[i + k], k * per);
        }
      } else {
        batch = (pixels as Float32Array).subarray(i * per, (i + n) * per);
      }
      embeds.set(await this.rawImageEmbeds(batch, n), i * this.dim);
    }
    return normalizeRows(embeds, this.dim);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.text.dispose(), this.vision.dispose()]);
  }
}
