/** Test helpers: the tiny-random-siglip fixture and its PyTorch reference outputs (see its SOURCE.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TINY_SIGLIP_DIR = fileURLToPath(new URL('../../../../e2e/fixtures/tiny-random-siglip', import.meta.url));
export const SIGLIP_GOLDEN_DIR = `${TINY_SIGLIP_DIR}/golden`;

export interface SiglipGolden {
  texts: string[];
  images: string[];
  input_ids: number[][];
  text_pooler_output: number[][];
  vision_pooler_output: number[][];
  text_embeds: number[][];
  image_embeds: number[][];
  logits_per_image: number[][];
  logit_scale: number;
  logit_bias: number;
}

export function loadSiglipGolden(): SiglipGolden {
  return JSON.parse(readFileSync(`${SIGLIP_GOLDEN_DIR}/golden.json`, 'utf8')) as SiglipGolden;
}

/** Reference pixel values of a golden image: float32 LE [3,224,224]. */
export function siglipGoldenPixels(image: string): Float32Array {
  const b = readFileSync(`${SIGLIP_GOLDEN_DIR}/${image}.pixel_values.f32`);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
