/**
 * The optimised resample (int32 sums, only the center-crop window computed) against a plain
 * transcription of Pillow's Resample.c kept here as the reference: every output byte must be equal,
 * for every filter, shrink and enlarge, and windows anywhere in the output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../data/image';
import { centerCrop, loadPreprocessorConfig, preprocess, resizeRgb, resizeRgbWindow, resizeTarget, type PilFilterCode } from './preprocess';
import { setResampleWasm } from './preprocess-resample';
import { horizontalPassWasm } from './preprocess-resample-wasm';

// ---- reference: Pillow's ImagingResample for 8-bit RGB, whole image, double sums, then crop ----
const KERNELS: Record<number, [number, (x: number) => number]> = {
  4: [0.5, (x) => (x > -0.5 && x <= 0.5 ? 1 : 0)],
  2: [1, (x) => (Math.abs(x) < 1 ? 1 - Math.abs(x) : 0)],
  5: [1, (x) => {
    x = Math.abs(x);
    if (x === 0) return 1;
    if (x >= 1) return 0;
    x *= Math.PI;
    return (Math.sin(x) / x) * (0.54 + 0.46 * Math.cos(x));
  }],
  3: [2, (x) => {
    x = Math.abs(x);
    if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
    if (x < 2) return (((x - 5) * x + 8) * x - 4) * -0.5;
    return 0;
  }],
  1: [3, (x) => {
    const sinc = (v: number) => (v === 0 ? 1 : Math.sin(v * Math.PI) / (v * Math.PI));
    return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0;
  }],
};

function coeffs(inSize: number, outSize: number, f: number) {
  const [sup, fn] = KERNELS[f];
  const scale = inSize / outSize;
  const fs = Math.max(1, scale);
  const support = sup * fs;
  const out: { xmin: number; w: number[] }[] = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    const k: number[] = [];
    for (let x = 0; x < xmax; x++) k.push(fn((x + xmin - center + 0.5) / fs));
    const ww = k.reduce((a, b) => a + b, 0);
    out.push({ xmin, w: k.map((v) => (ww !== 0 ? v / ww : v)).map((v) => (v < 0 ? Math.trunc(-0.5 + v * 2 ** 22) : Math.trunc(0.5 + v * 2 ** 22))) });
  }
  return out;
}
const clip8 = (s: number) => (s >= 256 * 2 ** 22 ? 255 : s <= 0 ? 0 : Math.floor(s / 2 ** 22));

function refResize(img: RgbImage, width: number, height: number, f: PilFilterCode): RgbImage {
  if (width === img.width && height === img.height) return { width, height, data: img.data.slice() };
  if (f === 0) {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      const yi = Math.min(img.height - 1, Math.floor((y + 0.5) * (img.height / height)));
      for (let x = 0; x < width; x++) {
        const xi = Math.min(img.width - 1, Math.floor((x + 0.5) * (img.width / width)));
        for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = img.data[(yi * img.width + xi) * 3 + c];
      }
    }
    return { width, height, data };
  }
  let cur = img;
  if (width !== img.width) {
    const h = coeffs(img.width, width, f);
    const data = new Uint8Array(width * cur.height * 3);
    for (let y = 0; y < cur.height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          let s = 2 ** 21;
          const { xmin, w } = h[x];
          for (let i = 0; i < w.length; i++) s += cur.data[(y * cur.width + xmin + i) * 3 + c] * w[i];
          data[(y * width + x) * 3 + c] = clip8(s);
        }
      }
    }
    cur = { width, height: cur.height, data };
  }
  if (height !== img.height) {
    const v = coeffs(img.height, height, f);
    const data = new Uint8Array(cur.width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let i = 0; i < cur.width * 3; i++) {
        let s = 2 ** 21;
        const { xmin, w } = v[y];
        for (let k = 0; k < w.length; k++) s += cur.data[(xmin + k) * cur.width * 3 + i] * w[k];
        data[y * cur.width * 3 + i] = clip8(s);
      }
    }
    cur = { width: cur.width, height, data };
  }
  return cur;
}

function crop(img: RgbImage, left: number, top: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) out.set(img.data.subarray(((top + y) * img.width + left) * 3, ((top + y) * img.width + left + w) * 3), y * w * 3);
  return out;
}

function rand(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
/** Noise over a gradient, with saturated patches so the clamp is exercised at both ends. */
function image(w: number, h: number, seed: number): RgbImage {
  const r = rand(seed);
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++) {
    const x = (i / 3) % w;
    data[i] = x % 7 < 2 ? (r() < 0.5 ? 0 : 255) : Math.floor(r() * 256);
  }
  return { width: w, height: h, data };
}

it('the WebAssembly SIMD kernel is available here (so the cases below test it)', () => {
  const bounds = Int32Array.from([0, 2]);
  const kk = Int32Array.from([1 << 21, 1 << 21]);
  const out = horizontalPassWasm(Uint8Array.from([10, 20, 30, 40, 50, 60]), 2, 0, 1, bounds, kk, 2);
  expect(out && Array.from(out)).toEqual([25, 35, 45]);
});

for (const wasm of [true, false]) describe(`resizeRgbWindow equals crop(Pillow resize), horizontal pass in ${wasm ? 'WebAssembly' : 'JS'}`, () => {
  beforeAll(() => setResampleWasm(wasm));
  afterAll(() => setResampleWasm(true));
  const r = rand(42);
  const sizes: [number, number, number, number][] = [
    [97, 61, 30, 20], [40, 50, 13, 77], [151, 113, 149, 112], [64, 64, 64, 31], [64, 64, 17, 64], [5, 3, 11, 9], [1, 1, 7, 3], [113, 202, 112, 199], [400, 300, 40, 30],
  ];
  for (const f of [0, 1, 2, 3, 4, 5] as PilFilterCode[]) {
    for (const [iw, ih, ow, oh] of sizes) {
      it(`filter ${f}: ${iw}x${ih} -> ${ow}x${oh}`, () => {
        const img = image(iw, ih, iw * 31 + ih + f);
        const ref = refResize(img, ow, oh, f);
        expect(resizeRgb(img, ow, oh, f).data).toEqual(ref.data);
        for (let k = 0; k < 4; k++) {
          const w = 1 + Math.floor(r() * ow);
          const h = 1 + Math.floor(r() * oh);
          const left = Math.floor(r() * (ow - w + 1));
          const top = Math.floor(r() * (oh - h + 1));
          const got = resizeRgbWindow(img, ow, oh, f, { left, top, width: w, height: h });
          expect([got.width, got.height]).toEqual([w, h]);
          expect(got.data).toEqual(crop(ref, left, top, w, h));
        }
      });
    }
  }
  it('refuses a window outside the output', () => {
    expect(() => resizeRgbWindow(image(10, 10, 1), 8, 8, 3, { left: 4, top: 0, width: 5, height: 8 })).toThrow(/outside/);
  });
});

describe('preprocess = resize, then center crop (reference path)', () => {
  const cfg = loadPreprocessorConfig({ image_processor_type: 'CLIPImageProcessor', size: { shortest_edge: 24 }, crop_size: { height: 20, width: 22 } });
  for (const [w, h] of [[64, 48], [48, 64], [30, 24], [24, 24], [23, 90], [12, 8], [200, 21]]) {
    it(`${w}x${h}`, () => {
      const img = image(w, h, w * h);
      const t = resizeTarget(w, h, cfg);
      const cropped = centerCrop(refResize(img, t.width, t.height, cfg.resample), 20, 22);
      const want = preprocess(cropped, { ...cfg, doResize: false, doCenterCrop: false });
      expect(preprocess(img, cfg)).toEqual(want);
    });
  }
});
