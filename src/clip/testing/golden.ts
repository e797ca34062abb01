/** Test helpers: the tiny-random-clip fixture and its reference (HF transformers + PyTorch) outputs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TINY_CLIP_DIR = fileURLToPath(new URL('../../../e2e/fixtures/tiny-random-clip', import.meta.url));
export const GOLDEN_DIR = `${TINY_CLIP_DIR}/golden`;

export interface ClipGolden {
  texts: string[];
  images: string[];
  input_ids: number[][];
  attention_mask: number[][];
  input_ids_padded_longest: number[][];
  text_embeds: number[][];
  image_embeds: number[][];
  text_model_text_embeds: number[][];
  vision_model_image_embeds: number[][];
  logits_per_image: number[][];
  logit_scale: number;
}

export function loadGolden(): ClipGolden {
  return JSON.parse(readFileSync(`${GOLDEN_DIR}/golden.json`, 'utf8')) as ClipGolden;
}

/** Reference pixel values of a golden image: float32 LE [3,224,224]. */
export function goldenPixels(image: string): Float32Array {
  const b = readFileSync(`${GOLDEN_DIR}/${image}.pixel_values.f32`);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export interface Agreement {
  /** smallest per-row cosine */
  minCosine: number;
  maxAbs: number;
}

/** Compares packed rows [n, dim] with reference rows. */
export function agreement(actual: ArrayLike<number>, expected: number[][]): Agreement {
  const dim = expected[0].length;
  let minCosine = 1;
  let maxAbs = 0;
  expected.forEach((ref, i) => {
    let ab = 0, aa = 0, bb = 0;
    for (let j = 0; j < dim; j++) {
      const a = actual[i * dim + j];
      ab += a * ref[j];
      aa += a * a;
      bb += ref[j] * ref[j];
      maxAbs = Math.max(maxAbs, Math.abs(a - ref[j]));
    }
    minCosine = Math.min(minCosine, ab / Math.sqrt(aa * bb));
  });
  if (actual.length !== expected.length * dim) throw new Error(`length ${actual.length} != ${expected.length}x${dim}`);
  return { minCosine, maxAbs };
}
