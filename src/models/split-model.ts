/**
 * An image-text model as two ONNX encoders (`onnx/text_model*.onnx`, `onnx/vision_model*.onnx`)
 * loaded through transformers.js. Families differ only in what the Encoders record says: which
 * output holds the embedding, how texts become token ids, the scoring. Image preprocessing is
 * NOT transformers.js's (see src/clip/preprocess.ts): encodeImages takes pixel values already made.
 */
import { Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { normalizeRows } from '../math/vector';
import type { FamilyId, ImageTextModel, ModelDevice, ModelDtype, TextEmbeddings } from './model';
import type { Scoring } from './scoring';
import type { Tokens } from './tokens';

export interface Encoders {
  family: FamilyId;
  label: string;
  dtype: ModelDtype;
  device: ModelDevice | undefined;
  dim: number;
  imageSize: number;
  contextLength: number;
  scoring: Scoring;
  preprocessorConfig: Record<string, unknown>;
  tokenizer: PreTrainedTokenizer;
  text: PreTrainedModel;
  vision: PreTrainedModel;
  /** output of each encoder that holds the (unnormalised) embedding */
  textOutput: string;
  visionOutput: string;
  tokenize(texts: readonly string[]): Tokens;
  /** extra models to dispose with the encoders */
  others?: PreTrainedModel[];
}

/** Only the inputs the session declares (SigLIP's text model takes no attention mask). */
function feeds(model: PreTrainedModel, all: Record<string, Tensor>): Record<string, Tensor> {
  const names = (model.sessions as Record<string, { inputNames: string[] }>).model?.inputNames;
  if (!names) return all;
  return Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]]));
}

export class SplitModel implements ImageTextModel {
  readonly family: FamilyId;
  readonly label: string;
  readonly dtype: ModelDtype;
  readonly device: ModelDevice | undefined;
  readonly dim: number;
  readonly imageSize: number;
  readonly contextLength: number;
  readonly scoring: Scoring;
  readonly preprocessorConfig: Record<string, unknown>;
  readonly tokenizer: PreTrainedTokenizer;

  constructor(private readonly e: Encoders) {
    ({ family: this.family, label: this.label, dtype: this.dtype, device: this.device, dim: this.dim } = e);
    ({ imageSize: this.imageSize, contextLength: this.contextLength, scoring: this.scoring } = e);
    ({ preprocessorConfig: this.preprocessorConfig, tokenizer: this.tokenizer } = e);
  }

  private output(out: Record<string, Tensor>, name: string, count: number): Float32Array {
    const t = out[name];
    if (!t) throw new Error(`the ONNX model has no output "${name}" (outputs: ${Object.keys(out).join(', ')})`);
    if (t.dims.length !== 2 || t.dims[0] !== count || t.dims[1] !== this.dim) {
      throw new Error(`output "${name}" has shape [${t.dims.join(', ')}], expected [${count}, ${this.dim}] (config.json's embedding size)`);
    }
    return Float32Array.from(t.data as Float32Array);
  }

  private async runText(texts: readonly string[], tokens?: Tokens): Promise<{ embeds: Float32Array; truncated: boolean[] }> {
    const t = tokens ?? this.e.tokenize(texts);
    const dims = [t.count, t.length];
    const all = { input_ids: new Tensor('int64', t.inputIds, dims), attention_mask: new Tensor('int64', t.attentionMask, dims) };
    const out = await this.e.text(feeds(this.e.text, all));
    return { embeds: this.output(out, this.e.textOutput, t.count), truncated: t.truncated };
  }

  async rawTextEmbeds(texts: readonly string[], tokens?: Tokens): Promise<Float32Array> {
    return (await this.runText(texts, tokens)).embeds;
  }

  async encodeTexts(texts: readonly string[], batchSize = 64): Promise<TextEmbeddings> {
    const embeds = new Float32Array(texts.length * this.dim);
    const truncated: boolean[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      const r = await this.runText(texts.slice(i, i + batchSize));
      embeds.set(r.embeds, i * this.dim);
      truncated.push(...r.truncated);
    }
    return { embeds: normalizeRows(embeds, this.dim), count: texts.length, dim: this.dim, truncated };
  }

  async rawImageEmbeds(pixels: Float32Array, count: number): Promise<Float32Array> {
    const s = this.imageSize;
    const out = await this.e.vision({ pixel_values: new Tensor('float32', pixels, [count, 3, s, s]) });
    return this.output(out, this.e.visionOutput, count);
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
    await Promise.all([this.e.text, this.e.vision, ...(this.e.others ?? [])].map((m) => m.dispose()));
  }
}
