/**
 * SigLIP's trained `logit_scale` and `logit_bias` live only in the combined `onnx/model*.onnx`
 * (the split text/vision encoders do not carry them, and config.json holds only their initial
 * values). We read them from the model by running that graph once on a few texts and one image:
 * its `logits_per_image` = exp(logit_scale) * cos(image_embeds, text_embeds) + logit_bias, so two
 * or more (cosine, logit) pairs give both numbers by least squares, with the residual as a check.
 * Quantisation does not touch these two scalars (dynamic q8 quantises MatMul weights only), and the
 * pairs come from the same graph's own embeddings, so the smallest file gives the exact values.
 */
import { SiglipModel, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { inFile, type LoadContext } from '../load-common';
import { tokenizeSiglip } from './tokenize';

export interface SiglipScale {
  scale: number;
  bias: number;
  /** largest |fitted - model| logit over the probe pairs */
  residual: number;
  /** the file the numbers came from */
  file: string;
}

const PROBE_TEXTS = ['a photo of a cat', 'a diagram', 'two dogs playing in the snow', 'an empty room', 'a red car on a road', 'text'];

/** exp(logit_scale) and logit_bias from (cosine, logit) pairs; throws when they do not fit a line. */
export function fitScaleBias(cos: readonly number[], logits: readonly number[]): { scale: number; bias: number; residual: number } {
  const n = cos.length;
  const mc = cos.reduce((a, b) => a + b, 0) / n;
  const ml = logits.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (cos[i] - mc) * (logits[i] - ml);
    sxx += (cos[i] - mc) ** 2;
  }
  if (!(sxx > 1e-12)) throw new Error('the probe texts gave equal cosines: cannot separate logit_scale from logit_bias');
  const scale = sxy / sxx;
  const bias = ml - scale * mc;
  const residual = Math.max(...cos.map((c, i) => Math.abs(scale * c + bias - logits[i])));
  return { scale, bias, residual };
}

async function probe(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, imageSize: number): Promise<{ cos: number[]; logits: number[] }> {
  const t = tokenizeSiglip(tokenizer, PROBE_TEXTS);
  const px = new Float32Array(3 * imageSize * imageSize).map((_, i) => Math.sin(i * 0.001) * 0.8);
  const out = await model({
    input_ids: new Tensor('int64', t.inputIds, [t.count, t.length]),
    pixel_values: new Tensor('float32', px, [1, 3, imageSize, imageSize]),
  });
  const img = out.image_embeds.data as Float32Array;
  const txt = out.text_embeds.data as Float32Array;
  const dim = img.length;
  const norm = (a: Float32Array, o: number) => Math.hypot(...a.subarray(o, o + dim));
  const ni = norm(img, 0);
  const cos = PROBE_TEXTS.map((_, k) => {
    let d = 0;
    for (let j = 0; j < dim; j++) d += img[j] * txt[k * dim + j];
    return d / (ni * norm(txt, k * dim));
  });
  return { cos, logits: Array.from(out.logits_per_image.data as Float32Array) };
}

const known = new Map<string, SiglipScale>();

export async function readSiglipScale(ctx: LoadContext, tokenizer: PreTrainedTokenizer, imageSize: number): Promise<SiglipScale> {
  const key = `${ctx.label}@${ctx.common.revision}`;
  const hit = known.get(key);
  if (hit) return hit;
  // WebGPU gains nothing for one small run; the smallest file first.
  const device = ctx.opts.device === 'webgpu' ? 'wasm' : ctx.opts.device;
  let lastError: unknown;
  for (const [dtype, file] of [
    ['q8', 'onnx/model_quantized.onnx'],
    ['fp32', 'onnx/model.onnx'],
  ] as const) {
    let model: PreTrainedModel | undefined;
    try {
      model = await inFile(file, SiglipModel.from_pretrained(ctx.id, { ...ctx.modelOpts, dtype, ...(device ? { device } : {}) }));
      const { cos, logits } = await probe(model, tokenizer, imageSize);
      const fit = fitScaleBias(cos, logits);
      if (fit.residual > 1e-3 * (Math.abs(fit.scale) + Math.abs(fit.bias) + 1)) {
        throw new Error(`${file}: its logits are not scale x cosine + bias (residual ${fit.residual.toExponential(2)}): not a SigLIP graph?`);
      }
      const r = { ...fit, file };
      known.set(key, r);
      return r;
    } catch (e) {
      lastError = e;
      if (ctx.opts.signal?.aborted) throw e;
    } finally {
      await model?.dispose().catch(() => undefined);
    }
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`SigLIP's logit_scale and logit_bias are only in onnx/model_quantized.onnx or onnx/model.onnx, and neither could be used (${why})`);
}
