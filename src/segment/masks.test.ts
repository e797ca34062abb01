import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import {
  coverage,
  labelMap,
  probabilitiesAt,
  probabilityMap,
  promptLogits,
  sigmoid,
  thresholdMask,
  upsampleBilinear,
} from './masks';
import { encodeGrayPng } from './png-encode';

/**
 * Independent reference: PyTorch's align_corners=False bilinear written as a triangle kernel,
 * value = sum_i max(0, 1 - |src - i|) * v[i] with src = (d + 0.5) * in / out - 0.5 clamped to
 * [0, in - 1], applied per axis in float64 (no floor / lerp tables as in the code under test).
 */
function reference(src: Float32Array, inW: number, inH: number, outW: number, outH: number): Float64Array {
  const weights = (inSize: number, outSize: number): Float64Array[] =>
    Array.from({ length: outSize }, (_, d) => {
      const s = Math.min(Math.max((d + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
      return Float64Array.from({ length: inSize }, (_, i) => Math.max(0, 1 - Math.abs(s - i)));
    });
  const wx = weights(inW, outW);
  const wy = weights(inH, outH);
  const out = new Float64Array(outW * outH);
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      let v = 0;
      for (let j = 0; j < inH; j++) {
        if (wy[y][j] === 0) continue;
        for (let i = 0; i < inW; i++) v += wy[y][j] * wx[x][i] * src[j * inW + i];
      }
      out[y * outW + x] = v;
    }
  return out;
}

function randomPlane(n: number, seed: number, scale = 500): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}

describe('upsampleBilinear (PyTorch F.interpolate bilinear, align_corners=False)', () => {
  it('reproduces PyTorch on 2x2 -> 4x4 exactly', () => {
    const out = upsampleBilinear(Float32Array.of(1, 2, 3, 4), 2, 2, 4, 4);
    // torch.nn.functional.interpolate(torch.tensor([[[[1.,2],[3,4]]]]), size=(4,4), mode='bilinear')
    expect(Array.from(out)).toEqual([1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
  });

  it('keeps a constant plane constant, for up- and down-sampling', () => {
    const c = new Float32Array(352 * 352).fill(-7.25);
    for (const [w, h] of [[640, 480], [50, 80], [352, 352], [1, 1]]) {
      expect(upsampleBilinear(c, 352, 352, w, h).every((v) => v === -7.25)).toBe(true);
    }
  });

  it('reproduces a linear ramp as a * src + b inside, edge values outside', () => {
    const inW = 8;
    const ramp = Float32Array.from({ length: inW * 2 }, (_, k) => 3 * (k % inW) + 1);
    const outW = 20;
    const out = upsampleBilinear(ramp, inW, 2, outW, 3);
    for (let x = 0; x < outW; x++) {
      const s = Math.min(Math.max((x + 0.5) * (inW / outW) - 0.5, 0), inW - 1);
      for (let y = 0; y < 3; y++) expect(out[y * outW + x]).toBeCloseTo(3 * s + 1, 5);
    }
    expect(out[0]).toBe(1); // clamped at the left edge
    expect(out[outW - 1]).toBe(3 * (inW - 1) + 1); // clamped at the right edge
  });

  it('agrees with the triangle-kernel reference on random logits', () => {
    const src = randomPlane(24 * 17, 7);
    for (const [w, h] of [[61, 43], [13, 9], [24, 17], [100, 5]]) {
      const got = upsampleBilinear(src, 24, 17, w, h);
      const ref = reference(src, 24, 17, w, h);
      let m = 0;
      for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(got[i] - ref[i]));
      expect(m).toBeLessThan(1e-4); // float32 storage of values up to 500
    }
  });

  it('agrees with the reference at 352 -> 451x300 on a 352 plane', () => {
    const src = randomPlane(352 * 352, 11);
    const got = upsampleBilinear(src, 352, 352, 451, 300);
    const ref = reference(src, 352, 352, 451, 300);
    let m = 0;
    for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(got[i] - ref[i]));
    expect(m).toBeLessThan(1e-4);
  });
});

describe('probabilities, threshold, coverage, labels', () => {
  const size = 4;
  // Two prompts on a 4x4 grid: prompt 0 positive on the left half, prompt 1 stronger on the top row.
  const logits = Float32Array.from([
    ...[2, 2, -2, -2, 2, 2, -2, -2, 2, 2, -2, -2, 2, 2, -2, -2],
    ...[5, 5, 5, 5, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3],
  ]);

  it('promptLogits is a view of one prompt, and checks the index', () => {
    expect(Array.from(promptLogits(logits, 1, size).subarray(0, 4))).toEqual([5, 5, 5, 5]);
    expect(() => promptLogits(logits, 2, size)).toThrow(RangeError);
  });

  it('probabilityMap = sigmoid of the upsampled logits (sigmoid after upsampling)', () => {
    const p = probabilityMap(logits, 0, 8, 8, size);
    const up = upsampleBilinear(promptLogits(logits, 0, size), size, size, 8, 8);
    for (let i = 0; i < 64; i++) expect(p[i]).toBe(Math.fround(sigmoid(up[i])));
    // Between columns 1 and 2 the logits cross 0: sigmoid(upsampled) is 0.5 there, not the mean of probabilities.
    expect(p[3]).toBeCloseTo(sigmoid(2 * 0.75 + -2 * 0.25), 6);
  });

  it('thresholdMask is 255 where prob >= threshold (inclusive) and coverage counts it', () => {
    const mask = thresholdMask(Float32Array.of(0.2, 0.5, 0.7, 0.49), 0.5);
    expect(Array.from(mask)).toEqual([0, 255, 255, 0]);
    expect(coverage(mask)).toBe(0.5);
    expect(coverage(new Uint8Array(0))).toBe(0);
    const left = thresholdMask(probabilityMap(logits, 0, size, size, size), 0.5);
    expect(coverage(left)).toBe(0.5);
  });

  it('labelMap takes the best prompt above threshold, else background, ties to the first', () => {
    const p0 = Float32Array.of(0.9, 0.6, 0.2, 0.7, 0.3);
    const p1 = Float32Array.of(0.8, 0.95, 0.4, 0.7, 0.1);
    expect(Array.from(labelMap([p0, p1], 0.5))).toEqual([1, 2, 0, 1, 0]);
    expect(Array.from(labelMap([p0, p1], 0.35))).toEqual([1, 2, 2, 1, 0]);
    expect(() => labelMap([p0, Float32Array.of(1)], 0.5)).toThrow(RangeError);
  });

  it('probabilitiesAt matches the full-size maps at every pixel', () => {
    const [w, h] = [7, 5];
    const maps = [probabilityMap(logits, 0, w, h, size), probabilityMap(logits, 1, w, h, size)];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const at = probabilitiesAt(logits, 2, x, y, w, h, size);
        expect(at.map((v) => Math.fround(v))).toEqual([maps[0][y * w + x], maps[1][y * w + x]]);
      }
    expect(() => probabilitiesAt(logits, 2, 7, 0, w, h, size)).toThrow(RangeError);
  });
});

describe('encodeGrayPng', () => {
  it('writes an 8-bit, 1-channel PNG that decodes to the same mask', () => {
    const mask = Uint8Array.from({ length: 6 * 4 }, (_, i) => (i % 3 === 0 ? 255 : 0));
    const png = decode(encodeGrayPng(mask, 6, 4));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([6, 4, 1, 8]);
    expect(Array.from(png.data)).toEqual(Array.from(mask));
    expect(() => encodeGrayPng(mask, 5, 4)).toThrow(RangeError);
  });
});
