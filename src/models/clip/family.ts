/**
 * The CLIP family (OpenAI CLIP and checkpoints that load as CLIP classes, e.g. MobileCLIP):
 * projected embeddings `text_embeds` / `image_embeds`, logit = 100 x cosine, softmax over classes.
 */
import { AutoTokenizer, CLIPTextModelWithProjection, CLIPVisionModelWithProjection, ImageProcessor } from '@huggingface/transformers';
import { DTYPE_SUFFIX, inFile, type LoadContext } from '../load-common';
import type { ImageTextModel } from '../model';
import { SplitModel } from '../split-model';
import { CLIP_SCORING } from './scoring';
import { CLIP_CONTEXT_LENGTH, tokenizeClip } from './tokenize';

export { CLIP_LOGIT_SCALE, CLIP_SCORING } from './scoring';

interface ClipConfig {
  projection_dim?: number;
  text_config?: { projection_dim?: number };
  vision_config?: { image_size?: number };
}

export async function loadClipFamily(ctx: LoadContext): Promise<ImageTextModel> {
  const { id, common, modelOpts, dtype } = ctx;
  const sfx = DTYPE_SUFFIX[dtype];
  const [tokenizer, text, vision, pre] = await Promise.all([
    inFile('tokenizer.json', AutoTokenizer.from_pretrained(id, common)),
    inFile(`onnx/text_model${sfx}.onnx`, CLIPTextModelWithProjection.from_pretrained(id, modelOpts)),
    inFile(`onnx/vision_model${sfx}.onnx`, CLIPVisionModelWithProjection.from_pretrained(id, modelOpts)),
    inFile('preprocessor_config.json', ImageProcessor.from_pretrained(id, common)),
  ]);
  const cfg = ctx.config as unknown as ClipConfig;
  const dim = cfg.projection_dim ?? cfg.text_config?.projection_dim;
  if (!dim) throw new Error('config.json has no projection_dim: cannot tell the embedding size');
  return new SplitModel({
    family: 'clip',
    label: ctx.label,
    dtype,
    device: ctx.opts.device,
    dim,
    imageSize: cfg.vision_config?.image_size ?? 224,
    contextLength: CLIP_CONTEXT_LENGTH,
    scoring: CLIP_SCORING,
    preprocessorConfig: pre.config as Record<string, unknown>,
    tokenizer,
    text,
    vision,
    textOutput: 'text_embeds',
    visionOutput: 'image_embeds',
    // Padding to the longest prompt of the batch: CLIP's text attention is causal, so pads after
    // the end-of-text token change nothing (checked against 77-padded golden embeddings).
    tokenize: (texts) => tokenizeClip(tokenizer, texts, 'longest'),
  });
}
