/**
 * The SigLIP family (Zhai et al. 2023): encoders without projection (`pooler_output` of the text
 * head and of the vision attention-pooling head), logit = exp(logit_scale) x cosine + logit_bias with
 * both read from the model (src/models/siglip/calibrate.ts), and a sigmoid per class: each class is
 * an independent yes/no, so the probabilities need not sum to 1.
 * transformers.js 4.3.1 registers `siglip` only (no `siglip2` model type in its registry).
 */
import { AutoTokenizer, ImageProcessor, SiglipTextModel, SiglipVisionModel } from '@huggingface/transformers';
import { DTYPE_SUFFIX, inFile, type LoadContext } from '../load-common';
import type { ImageTextModel } from '../model';
import { SplitModel } from '../split-model';
import { readSiglipScale } from './calibrate';
import { SIGLIP_CONTEXT_LENGTH, tokenizeSiglip } from './tokenize';

interface SiglipConfig {
  text_config?: { hidden_size?: number; projection_size?: number; max_position_embeddings?: number };
  vision_config?: { hidden_size?: number; image_size?: number };
}

export async function loadSiglipFamily(ctx: LoadContext): Promise<ImageTextModel> {
  const { id, common, modelOpts, dtype } = ctx;
  const sfx = DTYPE_SUFFIX[dtype];
  const cfg = ctx.config as unknown as SiglipConfig;
  const dim = cfg.text_config?.projection_size ?? cfg.text_config?.hidden_size;
  if (!dim) throw new Error('config.json has no text_config.hidden_size: cannot tell the embedding size');
  const visionDim = cfg.vision_config?.hidden_size;
  if (visionDim !== undefined && visionDim !== dim) {
    throw new Error(`config.json: text (${dim}) and vision (${visionDim}) embedding sizes differ`);
  }
  const imageSize = cfg.vision_config?.image_size ?? 224;
  const contextLength = Math.min(SIGLIP_CONTEXT_LENGTH, cfg.text_config?.max_position_embeddings ?? SIGLIP_CONTEXT_LENGTH);
  const [tokenizer, text, vision, pre] = await Promise.all([
    inFile('tokenizer.json', AutoTokenizer.from_pretrained(id, common)),
    inFile(`onnx/text_model${sfx}.onnx`, SiglipTextModel.from_pretrained(id, modelOpts)),
    inFile(`onnx/vision_model${sfx}.onnx`, SiglipVisionModel.from_pretrained(id, modelOpts)),
    inFile('preprocessor_config.json', ImageProcessor.from_pretrained(id, common)),
  ]);
  const { scale, bias } = await readSiglipScale(ctx, tokenizer, imageSize);
  return new SplitModel({
    family: 'siglip',
    label: ctx.label,
    dtype,
    device: ctx.opts.device,
    dim,
    imageSize,
    contextLength,
    scoring: { kind: 'sigmoid', scale, bias },
    preprocessorConfig: pre.config as Record<string, unknown>,
    tokenizer,
    text,
    vision,
    textOutput: 'pooler_output',
    visionOutput: 'pooler_output',
    tokenize: (texts) => tokenizeSiglip(tokenizer, texts, contextLength),
  });
}
