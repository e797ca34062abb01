// The lab's preprocessing as it was before the speed work (frozen copy, for same-run before/after
// figures and a pixel-equality check in the bench; never used by the lab): Pillow's Resample.c port
// with double sums over the whole resized image, then crop; JPEG pixels read through a 2D canvas
// and a byte loop to RGB.
import type { RgbImage } from '../../src/data/image';
import type { PreprocessorConfig } from '../../src/clip/preprocess-config';
import { centerCrop, PilFilter, resizeTarget, type PilFilterCode } from '../../src/clip/preprocess';
import { toRgb } from '../../src/data/decode-common';

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

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);
const CLIP_HIGH = 255 * ONE + ONE; // 1 << PRECISION_BITS << 8

/** Window bounds and fixed-point weights for one axis (Pillow's precompute_coeffs + normalize_coeffs_8bpc). */
interface Coeffs {
  ksize: number;
  /** [xmin, count] per output index */
  bounds: Int32Array;
  /** ksize fixed-point weights per output index */
  kk: Int32Array;
}

function precomputeCoeffs(inSize: number, in0: number, in1: number, outSize: number, filter: Filter): Coeffs {
  // Pillow passes the box as C floats; integral boxes are exact either way.
  const scale = Math.fround(Math.fround(in1) - Math.fround(in0)) / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = filter.support * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
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
      kk[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, kk };
}

/** Pillow's clip8: round-down of the fixed-point sum (already biased by +HALF), clamped. */
function clip8(ss: number): number {
  if (ss >= CLIP_HIGH) return 255;
  if (ss <= 0) return 0;
  return Math.floor(ss / ONE);
}

/** Horizontal pass over input rows [offset, offset + outHeight). */
function resampleHorizontal(src: RgbImage, offset: number, outHeight: number, outWidth: number, c: Coeffs): RgbImage {
  const out = new Uint8Array(outWidth * outHeight * 3);
  const { ksize, bounds, kk } = c;
  const inRow = src.width * 3;
  for (let yy = 0; yy < outHeight; yy++) {
    const rowBase = (yy + offset) * inRow;
    let o = yy * outWidth * 3;
    for (let xx = 0; xx < outWidth; xx++) {
      const xmin = bounds[xx * 2];
      const xmax = bounds[xx * 2 + 1];
      const kb = xx * ksize;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      let p = rowBase + xmin * 3;
      for (let x = 0; x < xmax; x++, p += 3) {
        const w = kk[kb + x];
        s0 += src.data[p] * w;
        s1 += src.data[p + 1] * w;
        s2 += src.data[p + 2] * w;
      }
      out[o++] = clip8(s0);
      out[o++] = clip8(s1);
      out[o++] = clip8(s2);
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}

function resampleVertical(src: RgbImage, outHeight: number, c: Coeffs): RgbImage {
  const w = src.width;
  const out = new Uint8Array(w * outHeight * 3);
  const { ksize, bounds, kk } = c;
  const rowLen = w * 3;
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = bounds[yy * 2];
    const ymax = bounds[yy * 2 + 1];
    const kb = yy * ksize;
    let o = yy * rowLen;
    for (let i = 0; i < rowLen; i++) {
      let s = HALF;
      let p = ymin * rowLen + i;
      for (let y = 0; y < ymax; y++, p += rowLen) s += src.data[p] * kk[kb + y];
      out[o++] = clip8(s);
    }
  }
  return { width: w, height: outHeight, data: out };
}

/** Pillow's NEAREST resize (an affine transform sampling at pixel centres). */
function resizeNearest(img: RgbImage, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  const sx = img.width / width;
  const sy = img.height / height;
  for (let y = 0; y < height; y++) {
    const yi = Math.min(img.height - 1, Math.floor((y + 0.5) * sy));
    for (let x = 0; x < width; x++) {
      const xi = Math.min(img.width - 1, Math.floor((x + 0.5) * sx));
      const s = (yi * img.width + xi) * 3;
      const d = (y * width + x) * 3;
      out[d] = img.data[s];
      out[d + 1] = img.data[s + 1];
      out[d + 2] = img.data[s + 2];
    }
  }
  return { width, height, data: out };
}

/**
 * `PIL.Image.resize((width, height), resample)` on an RGB image, with the default box (whole image)
 * and `reducing_gap=None` (no JPEG draft / reduce() shortcut), as Hugging Face calls it.
 */
function resizeRgb(img: RgbImage, width: number, height: number, resample: PilFilterCode): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`resize target must be positive integers, got ${width}x${height}`);
  }
  if (width === img.width && height === img.height) {
    return { width, height, data: new Uint8Array(img.data) };
  }
  if (resample === PilFilter.NEAREST) return resizeNearest(img, width, height);
  const filter = FILTERS[resample];
  if (!filter) throw new RangeError(`unknown PIL resample filter ${resample}`);

  const needH = width !== img.width;
  const needV = height !== img.height;
  const horiz = precomputeCoeffs(img.width, 0, img.width, width, filter);
  const vert = precomputeCoeffs(img.height, 0, img.height, height, filter);

  let cur = img;
  if (needH) {
    // Only the source rows the vertical pass reads are resampled (Pillow's ybox_first/last).
    const first = vert.bounds[0];
    const last = vert.bounds[height * 2 - 2] + vert.bounds[height * 2 - 1];
    if (needV) {
      for (let i = 0; i < height; i++) vert.bounds[i * 2] -= first;
      cur = resampleHorizontal(cur, first, last - first, width, horiz);
    } else {
      cur = resampleHorizontal(cur, 0, img.height, width, horiz);
    }
  }
  if (needV) cur = resampleVertical(cur, height, vert);
  return cur;
}

export function preprocessBefore(img: RgbImage, cfg: PreprocessorConfig): Float32Array {
  let cur = img;
  if (cfg.doResize) {
    const t = resizeTarget(img.width, img.height, cfg);
    cur = resizeRgb(cur, t.width, t.height, cfg.resample);
  }
  if (cfg.doCenterCrop) cur = centerCrop(cur, cfg.cropSize.height, cfg.cropSize.width);
  const plane = cur.width * cur.height;
  const out = new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    const lut = new Float32Array(256);
    const mean = Math.fround(cfg.imageMean[c]);
    const std = Math.fround(cfg.imageStd[c]);
    for (let v = 0; v < 256; v++) {
      let x = cfg.doRescale ? Math.fround(v * cfg.rescaleFactor) : v;
      if (cfg.doNormalize) x = Math.fround(Math.fround(x - mean) / std);
      lut[v] = x;
    }
    const base = c * plane;
    for (let i = 0, p = c; i < plane; i++, p += 3) out[base + i] = lut[cur.data[p]];
  }
  return out;
}

/** JPEG (no EXIF rotation) as decode-browser.ts read it before: createImageBitmap, 2D canvas, byte loop. */
export async function decodeJpegBefore(bytes: Uint8Array): Promise<RgbImage> {
  const bmp = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }),
    { premultiplyAlpha: 'none', colorSpaceConversion: 'none', imageOrientation: 'from-image' });
  const { width, height } = bmp;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' })!;
  ctx.drawImage(bmp, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;
  bmp.close();
  return { width, height, data: toRgb(rgba, width, height, 4) };
}
