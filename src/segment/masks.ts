/**
 * From CLIPSeg's 352x352 logits to per-pixel answers at the image's own size. Pure functions on
 * typed arrays: the browser runs them in a worker, the CLI in Node.
 *
 * Order of operations (issue 5): logits are upsampled bilinearly FIRST, then sigmoid, then
 * `prob >= threshold`. Upsampling logits (not probabilities) keeps sharp edges where the logits
 * are large (they reach +-500), and it is what the reference post-processing does.
 */

/** One prompt's logits (a view, no copy) out of the model's [N, size, size] output. */
export function promptLogits(logits: Float32Array, index: number, size = 352): Float32Array {
  const n = size * size;
  if (index < 0 || (index + 1) * n > logits.length) {
    throw new RangeError(`prompt ${index} is outside logits of length ${logits.length} (size ${size})`);
  }
  return logits.subarray(index * n, (index + 1) * n);
}

/** Source sample positions for one axis: i0, i1 and the weight of i1, per output index. */
interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  w1: Float64Array;
}

/**
 * PyTorch `F.interpolate(mode='bilinear', align_corners=False)` with an explicit output size:
 * src = (dst + 0.5) * in/out - 0.5, clamped below at 0; i0 = floor(src), i1 = min(i0 + 1, in - 1),
 * w1 = src - i0. PyTorch does this in float32; we use float64 (differences ~1e-7 relative).
 */
function axisTaps(inSize: number, outSize: number): AxisTaps {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w1 = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let d = 0; d < outSize; d++) {
    const src = Math.max((d + 0.5) * scale - 0.5, 0);
    const lo = Math.min(Math.floor(src), inSize - 1);
    i0[d] = lo;
    i1[d] = Math.min(lo + 1, inSize - 1);
    w1[d] = src - lo;
  }
  return { i0, i1, w1 };
}

/** Bilinear resize of a row-major [inH, inW] plane to [outH, outW] (PyTorch align_corners=False). */
export function upsampleBilinear(
  src: Float32Array,
  inW: number,
  inH: number,
  outW: number,
  outH: number,
  out: Float32Array = new Float32Array(outW * outH),
): Float32Array {
  if (src.length < inW * inH) throw new RangeError(`source has ${src.length} values, needs ${inW * inH}`);
  if (out.length < outW * outH) throw new RangeError(`output has ${out.length} values, needs ${outW * outH}`);
  const xs = axisTaps(inW, outW);
  const ys = axisTaps(inH, outH);
  for (let y = 0; y < outH; y++) {
    const r0 = ys.i0[y] * inW;
    const r1 = ys.i1[y] * inW;
    const wy = ys.w1[y];
    const row = y * outW;
    for (let x = 0; x < outW; x++) {
      const a = xs.i0[x];
      const b = xs.i1[x];
      const wx = xs.w1[x];
      const top = src[r0 + a] * (1 - wx) + src[r0 + b] * wx;
      const bottom = src[r1 + a] * (1 - wx) + src[r1 + b] * wx;
      out[row + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Sigmoid in place; returns its argument. */
export function sigmoidInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
  return values;
}

/** One prompt's probability map at the image's size: upsample its logits, then sigmoid. */
export function probabilityMap(
  logits: Float32Array,
  index: number,
  width: number,
  height: number,
  size = 352,
): Float32Array {
  return sigmoidInPlace(upsampleBilinear(promptLogits(logits, index, size), size, size, width, height));
}

/** Binary mask, 255 where prob >= threshold else 0 (ready for an 8-bit gray PNG). */
export function thresholdMask(prob: Float32Array, threshold: number): Uint8Array {
  const mask = new Uint8Array(prob.length);
  for (let i = 0; i < prob.length; i++) mask[i] = prob[i] >= threshold ? 255 : 0;
  return mask;
}

/** Fraction of mask pixels that are on (non-zero); 0 for an empty mask. */
export function coverage(mask: Uint8Array): number {
  if (mask.length === 0) return 0;
  let on = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) on++;
  return on / mask.length;
}

/**
 * The "labels" view: per pixel, 1 + the index of the prompt with the highest probability among
 * those >= threshold, or 0 (background) when none reaches it. Ties go to the earlier prompt.
 */
export function labelMap(probs: readonly Float32Array[], threshold: number): Uint8Array {
  if (probs.length > 255) throw new RangeError(`at most 255 prompts fit a label map, got ${probs.length}`);
  const n = probs.length === 0 ? 0 : probs[0].length;
  for (const p of probs) if (p.length !== n) throw new RangeError('probability maps differ in size');
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = -Infinity;
    for (let k = 0; k < probs.length; k++) {
      const p = probs[k][i];
      if (p >= threshold && p > bestP) {
        bestP = p;
        best = k + 1;
      }
    }
    labels[i] = best;
  }
  return labels;
}

/**
 * Every prompt's probability at one image pixel (x, y), computed from the 352x352 logits directly
 * with the same taps as `upsampleBilinear`, so a click needs no full-size maps.
 */
export function probabilitiesAt(
  logits: Float32Array,
  prompts: number,
  x: number,
  y: number,
  width: number,
  height: number,
  size = 352,
): number[] {
  if (!(x >= 0 && x < width && y >= 0 && y < height)) {
    throw new RangeError(`pixel (${x}, ${y}) is outside the ${width}x${height} image`);
  }
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const tx = axisTapAt(size, width, xi);
  const ty = axisTapAt(size, height, yi);
  const out: number[] = [];
  for (let k = 0; k < prompts; k++) {
    const plane = promptLogits(logits, k, size);
    const r0 = ty.i0 * size;
    const r1 = ty.i1 * size;
    const top = plane[r0 + tx.i0] * (1 - tx.w1) + plane[r0 + tx.i1] * tx.w1;
    const bottom = plane[r1 + tx.i0] * (1 - tx.w1) + plane[r1 + tx.i1] * tx.w1;
    // Round through float32 as the full-size map stores it, so both paths give the same number.
    out.push(sigmoid(Math.fround(top * (1 - ty.w1) + bottom * ty.w1)));
  }
  return out;
}

function axisTapAt(inSize: number, outSize: number, d: number): { i0: number; i1: number; w1: number } {
  const src = Math.max((d + 0.5) * (inSize / outSize) - 0.5, 0);
  const i0 = Math.min(Math.floor(src), inSize - 1);
  return { i0, i1: Math.min(i0 + 1, inSize - 1), w1: src - i0 };
}
