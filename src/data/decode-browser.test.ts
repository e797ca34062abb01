/**
 * packRgb (the browser decoder's 4-byte -> RGB step, 32-bit words at a time) against the plain
 * byte loop (decode-common's toRgb), for RGBA and BGRA layouts, pixel counts not divisible by 4
 * and unaligned input.
 */
import { describe, expect, it } from 'vitest';
import { toRgb } from './decode-common';
import { packRgb } from './decode-browser';

function bytes(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
}

const swapRB = (a: Uint8Array) => {
  const o = a.slice();
  for (let i = 0; i < o.length; i += 4) [o[i], o[i + 2]] = [a[i + 2], a[i]];
  return o;
};

describe('packRgb', () => {
  for (const n of [0, 1, 3, 4, 5, 8, 13, 4000 * 3 + 1]) {
    it(`${n} pixels, RGBA and BGRA`, () => {
      const rgba = bytes(n * 4, n + 1);
      const want = toRgb(rgba, n, 1, 4);
      expect(packRgb(rgba, n)).toEqual(want);
      expect(packRgb(new Uint8ClampedArray(rgba.buffer), n)).toEqual(want);
      expect(packRgb(swapRB(rgba), n, true)).toEqual(want);
    });
  }
  it('unaligned input takes the byte loop and agrees', () => {
    const raw = bytes(4 * 9 + 1, 7);
    const view = raw.subarray(1);
    expect(packRgb(view, 9)).toEqual(toRgb(view, 9, 1, 4));
    expect(packRgb(view, 9, true)).toEqual(toRgb(swapRB(view), 9, 1, 4));
  });
});
