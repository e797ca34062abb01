import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../data/image';
import { mulberry32 } from '../math/rng';
import { SHIFT_NAMES, applyShift, type ShiftName } from './shifts';

/** 160×120 test card: colour gradients, a disc and a seeded pixel texture (no period to alias with). */
function testCard(): RgbImage {
  const width = 160;
  const height = 120;
  const rand = mulberry32(5);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const texture = 50 * rand();
      const disc = (x - 100) ** 2 + (y - 50) ** 2 < 900 ? 100 : 0;
      data[o] = Math.min(255, 1.2 * x + texture);
      data[o + 1] = Math.min(255, 1.5 * y + disc + texture / 2);
      data[o + 2] = Math.min(255, 220 - x + texture);
    }
  }
  return { width, height, data };
}

const mse = (a: RgbImage, b: RgbImage) => a.data.reduce((s, v, i) => s + (v - b.data[i]) ** 2, 0) / a.data.length;
/** FNV-1a over the bytes: pins exact output across runs and platforms. */
const fnv = (bytes: Uint8Array) => bytes.reduce((h, v) => Math.imul(h ^ v, 16777619) >>> 0, 2166136261);

const card = testCard();
/** recorded from this implementation (Node 20, V8); any change to the noise stream shows here */
const PINNED_NOISE_HASH = 817569993;

describe('distribution shifts', () => {
  it.each(SHIFT_NAMES)('%s: same seed, same bytes; effect grows with severity', (shift: ShiftName) => {
    const errors: number[] = [];
    for (let s = 1; s <= 5; s++) {
      const a = applyShift(card, shift, s, 42);
      const b = applyShift(card, shift, s, 42);
      expect(a.width).toBe(card.width);
      expect(a.height).toBe(card.height);
      expect(a.data.length).toBe(card.data.length);
      expect(fnv(a.data)).toBe(fnv(b.data));
      errors.push(mse(a, card));
    }
    console.info(`${shift}: MSE vs original by severity ${errors.map((e) => e.toFixed(1)).join(', ')}`);
    expect(errors[0]).toBeGreaterThan(0);
    for (let s = 1; s < 5; s++) expect(errors[s]).toBeGreaterThan(errors[s - 1]);
  });

  it('leaves the input untouched', () => {
    const before = fnv(card.data);
    for (const shift of SHIFT_NAMES) applyShift(card, shift, 3, 1);
    expect(fnv(card.data)).toBe(before);
  });

  it('draws different noise for different seeds and pins the bytes of one seed', () => {
    const a = applyShift(card, 'gaussian-noise', 3, 1);
    const b = applyShift(card, 'gaussian-noise', 3, 2);
    expect(fnv(a.data)).not.toBe(fnv(b.data));
    // noise std 0.18 × 255 ≈ 46 before clipping
    expect(Math.sqrt(mse(a, card))).toBeGreaterThan(30);
    expect(Math.sqrt(mse(a, card))).toBeLessThan(46);
    expect(fnv(a.data)).toBe(fnv(applyShift(card, 'gaussian-noise', 3, 1).data));
    expect(fnv(a.data)).toBe(PINNED_NOISE_HASH);
  });

  it('keeps contrast and grayscale exact where they are defined', () => {
    const flat: RgbImage = { width: 2, height: 1, data: Uint8Array.from([100, 50, 0, 200, 150, 100]) };
    // per-channel means 150, 100, 50; factor 0.4 at severity 1
    expect(Array.from(applyShift(flat, 'contrast', 1).data)).toEqual([130, 80, 30, 170, 120, 70]);
    // full grayscale at severity 5: luma = .299 R + .587 G + .114 B
    expect(Array.from(applyShift(flat, 'grayscale', 5).data)).toEqual([59, 59, 59, 159, 159, 159]);
  });

  it('JPEG works without a global Buffer (as in a browser worker)', () => {
    const withBuffer = applyShift(card, 'jpeg', 2);
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    delete g.Buffer;
    try {
      const without = applyShift(card, 'jpeg', 2);
      expect(Array.from(without.data)).toEqual(Array.from(withBuffer.data));
      expect(g.Buffer).toBeUndefined();
    } finally {
      g.Buffer = saved;
    }
  });

  it.each([0, 6, 1.5, Number.NaN, -1])('rejects severity %s', (severity) => {
    expect(() => applyShift(card, 'blur', severity)).toThrow(/severity must be an integer from 1 to 5/);
  });

  it('rejects an unknown shift and a malformed image', () => {
    expect(() => applyShift(card, 'fog' as ShiftName, 1)).toThrow(/unknown shift "fog"/);
    expect(() => applyShift({ width: 2, height: 2, data: new Uint8Array(5) }, 'blur', 1)).toThrow(/5 bytes, expected 2 × 2 × 3/);
  });
});
