/**
 * A line-for-line port of Pillow's libImaging/Resample.c for 8-bit RGB images, so that resized
 * pixels are bit-identical to `PIL.Image.resize(size, resample, reducing_gap=None)`, which is what
 * Hugging Face's slow image processors call. Pure TypeScript: it runs the same in Node and in a
 * browser worker.
 *
 * What is replicated exactly (each matters for bit-exactness):
 * - filter kernels (bicubic a = -0.5, bilinear triangle, box, hamming, lanczos a = 3);
 * - coefficients computed in double, support scaled by the downscale factor, window bounds
 *   rounded as `(int)(center ± support + 0.5)`, weights normalised to sum 1;
 * - fixed-point weights with PRECISION_BITS = 22, `(int)(w * 2^22 ± 0.5)`;
 * - two separable passes, horizontal first, each rounded (+2^21) and clamped to 0..255 between
 *   passes; a pass is skipped when that axis keeps its size (as Pillow does).
 * Speed without changing a pixel: `resizeRgbWindow` computes only the pixels a center crop keeps
 * (a 4000x3000 photo to 298x224 then 224x224 skips a quarter of the horizontal pass, which is
 * nearly all the work); both passes run in WebAssembly SIMD (preprocess-resample-wasm.ts) where
 * available, else in JS with int32 arithmetic as in C. A 12 MP photo: ~215 ms CPU before, ~23 now.
 */
import type { RgbImage } from '../data/image';
import { resampleWasm } from './preprocess-resample-wasm';

/** PIL's resample filter codes (Image.Resampling), as stored in preprocessor_config.json. */
export const PilFilter = {
  NEAREST: 0,
  LANCZOS: 1,
  BILINEAR: 2,
  BICUBIC: 3,
  BOX: 4,
  HAMMING: 5,
} as const;
export type PilFilterCode = (typeof PilFilter)[keyof typeof PilFilter];

interface Filter {
  fn: (x: number) => number;
  support: number;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  x *= Math.PI;
  return Math.sin(x) / x;
}

const FILTERS: Record<Exclude<PilFilterCode, 0>, Filter> = {
  [PilFilter.BOX]: { support: 0.5, fn: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  [PilFilter.BILINEAR]: {
    support: 1,
    fn: (x) => {
      if (x < 0) x = -x;
      return x < 1 ? 1 - x : 0;
    },
  },
  [PilFilter.HAMMING]: {
    support: 1,
    fn: (x) => {
      if (x < 0) x = -x;
      if (x === 0) return 1;
      if (x >= 1) return 0;
      x *= Math.PI;
      return (Math.sin(x) / x) * (0.54 + 0.46 * Math.cos(x));
    },
  },
  [PilFilter.BICUBIC]: {
    support: 2,
    fn: (x) => {
      const a = -0.5;
      if (x < 0) x = -x;
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
      return 0;
    },
  },
  [PilFilter.LANCZOS]: {
    support: 3,
    fn: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0),
  },
};

/** Tests turn the WebAssembly horizontal pass off to check the JS one against it. */
let useWasm = true;
export const setResampleWasm = (on: boolean): void => {
  useWasm = on;
};

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

/** Output columns [left, left + width) and rows [top, top + height) of a resize. */
export interface ResizeWindow {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Window bounds and fixed-point weights for a run of output indices (Pillow's precompute_coeffs + normalize_coeffs_8bpc). */
interface Coeffs {
  ksize: number;
  /** [xmin, count] per output index of the run */
  bounds: Int32Array;
  /** ksize fixed-point weights per output index of the run */
  kk: Int32Array;
}

/**
 * Coefficients of output indices [first, first + count) of a resize of `inSize` to `outSize`.
 * Each output index's window and weights depend on that index alone, so a run gives exactly the
 * values Pillow computes for the whole axis.
 */
function precomputeCoeffs(inSize: number, in0: number, in1: number, outSize: number, filter: Filter, first = 0, count = outSize): Coeffs {
  // Pillow passes the box as C floats; integral boxes are exact either way.
  const scale = Math.fround(Math.fround(in1) - Math.fround(in0)) / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = filter.support * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(count * 2);
  const kk = new Int32Array(count * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterscale;
  for (let i = 0; i < count; i++) {
    const xx = first + i;
    const center = in0 + (xx + 0.5) * scale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = filter.fn((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < ksize; x++) {
      let w = x < xmax ? k[x] : 0;
      if (x < xmax && ww !== 0) w /= ww;
      // (int)(±0.5 + w * 2^22): C truncates toward zero.
      kk[i * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[i * 2] = xmin;
    bounds[i * 2 + 1] = xmax;
  }
  return { ksize, bounds, kk };
}

// Pillow's clip8 is `ss < 0 ? 0 : ss >= 256 << 22 ? 255 : ss >> 22` on the (HALF-biased) int32 sum.
// Storing `ss >> 22` into a Uint8ClampedArray clamps the same way (the value is already an
// integer, so the clamped store's rounding never applies). Sums stay int32 like Pillow's `int ss`
// (|weights| sum to ~1.3 * 2^22 at most, times 255: no overflow), so Math.imul/|0 are exact.

/**
 * Horizontal pass: source rows [row0, row0 + rows) of an interleaved RGB image `srcWidth` wide,
 * to c.bounds.length / 2 output columns. Two rows per sweep: each weight is loaded once for both
 * (every row uses the same coefficients), ~30% less CPU than one row at a time.
 */
function resampleHorizontal(src: Uint8Array, srcWidth: number, row0: number, rows: number, c: Coeffs): Uint8ClampedArray {
  const { ksize, bounds, kk } = c;
  const outWidth = bounds.length >> 1;
  const out = new Uint8ClampedArray(outWidth * rows * 3);
  const inRow = srcWidth * 3;
  const outRow = outWidth * 3;
  let yy = 0;
  for (; yy + 1 < rows; yy += 2) {
    const rowBase = (yy + row0) * inRow;
    let o = yy * outRow;
    for (let xx = 0; xx < outWidth; xx++, o += 3) {
      let p = rowBase + bounds[xx * 2] * 3;
      let kb = xx * ksize;
      const ke = kb + bounds[xx * 2 + 1];
      let s0 = HALF, s1 = HALF, s2 = HALF, t0 = HALF, t1 = HALF, t2 = HALF;
      for (; kb < ke; kb++, p += 3) {
        const w = kk[kb];
        const q = p + inRow;
        s0 = (s0 + Math.imul(src[p], w)) | 0;
        s1 = (s1 + Math.imul(src[p + 1], w)) | 0;
        s2 = (s2 + Math.imul(src[p + 2], w)) | 0;
        t0 = (t0 + Math.imul(src[q], w)) | 0;
        t1 = (t1 + Math.imul(src[q + 1], w)) | 0;
        t2 = (t2 + Math.imul(src[q + 2], w)) | 0;
      }
      out[o] = s0 >> PRECISION_BITS;
      out[o + 1] = s1 >> PRECISION_BITS;
      out[o + 2] = s2 >> PRECISION_BITS;
      out[o + outRow] = t0 >> PRECISION_BITS;
      out[o + outRow + 1] = t1 >> PRECISION_BITS;
      out[o + outRow + 2] = t2 >> PRECISION_BITS;
    }
  }
  if (yy < rows) {
    // odd row count: the last row alone
    const rowBase = (yy + row0) * inRow;
    let o = yy * outRow;
    for (let xx = 0; xx < outWidth; xx++, o += 3) {
      let p = rowBase + bounds[xx * 2] * 3;
      let kb = xx * ksize;
      const ke = kb + bounds[xx * 2 + 1];
      let s0 = HALF, s1 = HALF, s2 = HALF;
      for (; kb < ke; kb++, p += 3) {
        const w = kk[kb];
        s0 = (s0 + Math.imul(src[p], w)) | 0;
        s1 = (s1 + Math.imul(src[p + 1], w)) | 0;
        s2 = (s2 + Math.imul(src[p + 2], w)) | 0;
      }
      out[o] = s0 >> PRECISION_BITS;
      out[o + 1] = s1 >> PRECISION_BITS;
      out[o + 2] = s2 >> PRECISION_BITS;
    }
  }
  return out;
}

/**
 * Vertical pass: output rows from c (bounds relative to `src`'s first row), over `rowBytes` bytes
 * starting at byte `col0` of each `stride`-byte source row. Accumulates whole rows tap by tap so
 * memory is read in order (same sums, same order per pixel as Pillow).
 */
function resampleVertical(src: Uint8Array | Uint8ClampedArray, stride: number, col0: number, rowBytes: number, c: Coeffs): Uint8ClampedArray {
  const { ksize, bounds, kk } = c;
  const outHeight = bounds.length >> 1;
  const out = new Uint8ClampedArray(rowBytes * outHeight);
  const acc = new Int32Array(rowBytes);
  for (let yy = 0; yy < outHeight; yy++) {
    acc.fill(HALF);
    const ymin = bounds[yy * 2];
    const kb = yy * ksize;
    const n = bounds[yy * 2 + 1];
    for (let y = 0; y < n; y++) {
      const w = kk[kb + y];
      const base = (ymin + y) * stride + col0;
      for (let i = 0; i < rowBytes; i++) acc[i] = (acc[i] + Math.imul(src[base + i], w)) | 0;
    }
    const o = yy * rowBytes;
    for (let i = 0; i < rowBytes; i++) out[o + i] = acc[i] >> PRECISION_BITS;
  }
  return out;
}

/** Pillow's NEAREST resize (an affine transform sampling at pixel centres), window only. */
function resizeNearest(img: RgbImage, width: number, height: number, win: ResizeWindow): RgbImage {
  const out = new Uint8Array(win.width * win.height * 3);
  const sx = img.width / width;
  const sy = img.height / height;
  for (let y = 0; y < win.height; y++) {
    const yi = Math.min(img.height - 1, Math.floor((y + win.top + 0.5) * sy));
    for (let x = 0; x < win.width; x++) {
      const xi = Math.min(img.width - 1, Math.floor((x + win.left + 0.5) * sx));
      const s = (yi * img.width + xi) * 3;
      const d = (y * win.width + x) * 3;
      out[d] = img.data[s];
      out[d + 1] = img.data[s + 1];
      out[d + 2] = img.data[s + 2];
    }
  }
  return { width: win.width, height: win.height, data: out };
}

/** Rows [top, top + height) and columns [left, left + width) of an interleaved RGB image, copied. */
function copyWindow(img: RgbImage, win: ResizeWindow): RgbImage {
  const out = new Uint8Array(win.width * win.height * 3);
  for (let y = 0; y < win.height; y++) {
    const s = ((y + win.top) * img.width + win.left) * 3;
    out.set(img.data.subarray(s, s + win.width * 3), y * win.width * 3);
  }
  return { width: win.width, height: win.height, data: out };
}

const u8 = (a: Uint8ClampedArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * `PIL.Image.resize((width, height), resample)` on an RGB image, with the default box (whole image)
 * and `reducing_gap=None` (no JPEG draft / reduce() shortcut), as Hugging Face calls it.
 */
export function resizeRgb(img: RgbImage, width: number, height: number, resample: PilFilterCode): RgbImage {
  return resizeRgbWindow(img, width, height, resample, { left: 0, top: 0, width, height });
}

/**
 * Exactly the window `win` of `resizeRgb(img, width, height, resample)` (what a center crop keeps),
 * computing only the output pixels inside it: each output pixel of either pass depends on its
 * own coefficients alone, so the skipped ones cannot change the kept ones.
 */
export function resizeRgbWindow(img: RgbImage, width: number, height: number, resample: PilFilterCode, win: ResizeWindow): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`resize target must be positive integers, got ${width}x${height}`);
  }
  const { left, top } = win;
  if (![left, top, win.width, win.height].every(Number.isInteger) || left < 0 || top < 0 || win.width < 1 || win.height < 1 ||
    left + win.width > width || top + win.height > height) {
    throw new RangeError(`resize window ${win.width}x${win.height}+${left}+${top} is outside ${width}x${height}`);
  }
  if (width === img.width && height === img.height) return copyWindow(img, win);
  if (resample === PilFilter.NEAREST) return resizeNearest(img, width, height, win);
  const filter = FILTERS[resample];
  if (!filter) throw new RangeError(`unknown PIL resample filter ${resample}`);

  const needH = width !== img.width;
  const needV = height !== img.height;
  const vert = needV ? precomputeCoeffs(img.height, 0, img.height, height, filter, top, win.height) : null;
  // Source rows the output rows read (Pillow's ybox_first/last, for the window's rows only).
  let row0 = top;
  let rows = win.height;
  if (vert) {
    row0 = vert.bounds[0];
    rows = vert.bounds[win.height * 2 - 2] + vert.bounds[win.height * 2 - 1] - row0;
    for (let i = 0; i < win.height; i++) vert.bounds[i * 2] -= row0;
  }
  if (needH) {
    const horiz = precomputeCoeffs(img.width, 0, img.width, width, filter, left, win.width);
    // WebAssembly SIMD when there is enough work to pay for its setup (same sums, same bytes).
    if (useWasm && win.width * rows * horiz.ksize >= 1 << 16) {
      const data = resampleWasm(img.data, img.width, row0, rows, horiz, vert);
      if (data) return { width: win.width, height: win.height, data: u8(data) };
    }
    const mid = resampleHorizontal(img.data, img.width, row0, rows, horiz);
    const rowBytes = win.width * 3;
    const data = vert ? resampleVertical(mid, rowBytes, 0, rowBytes, vert) : mid;
    return { width: win.width, height: win.height, data: u8(data) };
  }
  // Width kept: the vertical pass alone, reading the window's columns of the source rows.
  const data = resampleVertical(img.data.subarray(row0 * img.width * 3), img.width * 3, left * 3, win.width * 3, vert!);
  return { width: win.width, height: win.height, data: u8(data) };
}
