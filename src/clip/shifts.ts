/**
 * Distribution shifts for the robustness lab, at severities 1-5. Parameters follow ImageNet-C
 * (Hendrycks & Dietterich 2019) where it defines the shift (noise, blur, JPEG, contrast, pixelate),
 * with lengths given for 224 px and scaled with the image's shorter side; rotation, grayscale and
 * colour jitter use ladders of our own. Everything is seeded: one (image, shift, severity, seed)
 * gives the same bytes in a browser worker and in Node.
 */
import jpeg from 'jpeg-js';
import type { RgbImage } from '../data/image';
import { gaussianSource, mulberry32 } from '../math/rng';

export const SHIFT_NAMES = ['gaussian-noise', 'blur', 'jpeg', 'contrast', 'pixelate', 'rotate', 'grayscale', 'color-jitter'] as const;
export type ShiftName = (typeof SHIFT_NAMES)[number];

/** The parameter per severity 1..5 (index 0 = severity 1). */
export const SEVERITY_PARAMETERS: Record<ShiftName, readonly number[]> = {
  // ImageNet-C gaussian_noise: std on [0, 1] pixels
  'gaussian-noise': [0.08, 0.12, 0.18, 0.26, 0.38],
  // ImageNet-C gaussian_blur: sigma in pixels at 224 px
  blur: [1, 2, 3, 4, 6],
  // ImageNet-C jpeg_compression: quality
  jpeg: [25, 18, 15, 10, 7],
  // ImageNet-C contrast: factor towards the per-channel mean
  contrast: [0.4, 0.3, 0.2, 0.1, 0.05],
  // ImageNet-C pixelate: downscale factor
  pixelate: [0.6, 0.5, 0.4, 0.3, 0.25],
  // degrees; the seed picks the direction
  rotate: [6, 12, 18, 24, 30],
  // blend weight towards luma
  grayscale: [0.2, 0.4, 0.6, 0.8, 1],
  // brightness offset on [0, 1]; saturation and hue scale with it (see colorJitter)
  'color-jitter': [0.05, 0.1, 0.15, 0.2, 0.3],
};

export function isShiftName(s: string): s is ShiftName {
  return (SHIFT_NAMES as readonly string[]).includes(s);
}

/** A shifted copy of the image. Throws a RangeError for an unknown shift or a severity outside 1..5. */
export function applyShift(image: RgbImage, shift: ShiftName, severity: number, seed = 0): RgbImage {
  if (!isShiftName(shift)) throw new RangeError(`unknown shift "${String(shift)}" (known: ${SHIFT_NAMES.join(', ')})`);
  if (!(Number.isInteger(severity) && severity >= 1 && severity <= 5)) throw new RangeError(`severity must be an integer from 1 to 5, got ${String(severity)}`);
  const { width, height, data } = image;
  if (!(width > 0 && height > 0) || data.length !== width * height * 3) throw new RangeError(`image data has ${data.length} bytes, expected ${width} × ${height} × 3`);
  const p = SEVERITY_PARAMETERS[shift][severity - 1];
  const scale224 = Math.min(width, height) / 224;
  switch (shift) {
    case 'gaussian-noise':
      return gaussianNoise(image, p, seed);
    case 'blur':
      return gaussianBlur(image, p * scale224);
    case 'jpeg':
      return jpegRoundTrip(image, p);
    case 'contrast':
      return contrast(image, p);
    case 'pixelate':
      return pixelate(image, p);
    case 'rotate':
      return rotate(image, mulberry32(seed)() < 0.5 ? -p : p);
    case 'grayscale':
      return grayscale(image, p);
    case 'color-jitter':
      return colorJitter(image, p, seed);
  }
}

const clampByte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

function mapBytes(image: RgbImage, f: (v: number, i: number) => number): RgbImage {
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = clampByte(f(image.data[i], i));
  return { width: image.width, height: image.height, data: out };
}

function gaussianNoise(image: RgbImage, std: number, seed: number): RgbImage {
  const normal = gaussianSource(mulberry32(seed));
  return mapBytes(image, (v) => v + 255 * std * normal());
}

function contrast(image: RgbImage, factor: number): RgbImage {
  const mean = [0, 0, 0];
  const px = image.width * image.height;
  for (let i = 0; i < image.data.length; i++) mean[i % 3] += image.data[i];
  for (let c = 0; c < 3; c++) mean[c] /= px;
  return mapBytes(image, (v, i) => (v - mean[i % 3]) * factor + mean[i % 3]);
}

const luma = (d: Uint8Array, o: number) => 0.299 * d[o] + 0.587 * d[o + 1] + 0.114 * d[o + 2];

function grayscale(image: RgbImage, alpha: number): RgbImage {
  return mapBytes(image, (v, i) => (1 - alpha) * v + alpha * luma(image.data, i - (i % 3)));
}

/**
 * Brightness offset ±b, saturation factor 1 ± 2b and hue rotation ±b/3 of a turn (YIQ rotation);
 * the seed draws the three signs, the same for every severity of one seed.
 */
function colorJitter(image: RgbImage, b: number, seed: number): RgbImage {
  const rand = mulberry32(seed);
  const sign = () => (rand() < 0.5 ? -1 : 1);
  const brightness = sign() * b * 255;
  const saturation = 1 + sign() * 2 * b;
  const theta = sign() * (b / 3) * 2 * Math.PI;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const { data } = image;
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += 3) {
    const r = data[o];
    const g = data[o + 1];
    const bl = data[o + 2];
    // RGB -> YIQ, rotate chroma by theta and scale it by saturation, back to RGB
    const y = 0.299 * r + 0.587 * g + 0.114 * bl;
    const i0 = 0.596 * r - 0.274 * g - 0.322 * bl;
    const q0 = 0.211 * r - 0.523 * g + 0.312 * bl;
    const i1 = saturation * (i0 * cos - q0 * sin);
    const q1 = saturation * (i0 * sin + q0 * cos);
    const yb = y + brightness;
    out[o] = clampByte(yb + 0.956 * i1 + 0.621 * q1);
    out[o + 1] = clampByte(yb - 0.272 * i1 - 0.647 * q1);
    out[o + 2] = clampByte(yb - 1.106 * i1 + 1.703 * q1);
  }
  return { width: image.width, height: image.height, data: out };
}

/** Separable Gaussian blur, edges clamped (skimage's mode="nearest", as ImageNet-C used). */
function gaussianBlur(image: RgbImage, sigma: number): RgbImage {
  const { width: w, height: h } = image;
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= sum;
  const tmp = new Float64Array(image.data.length);
  const src = image.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = Math.min(w - 1, Math.max(0, x + k));
          s += kernel[k + radius] * src[(y * w + xx) * 3 + c];
        }
        tmp[(y * w + x) * 3 + c] = s;
      }
    }
  }
  const out = new Uint8Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) {
          const yy = Math.min(h - 1, Math.max(0, y + k));
          s += kernel[k + radius] * tmp[(yy * w + x) * 3 + c];
        }
        out[(y * w + x) * 3 + c] = clampByte(s);
      }
    }
  }
  return { width: w, height: h, data: out };
}

/** Box-average down to factor × size, then nearest-neighbour back up (PIL BOX both ways in ImageNet-C). */
function pixelate(image: RgbImage, factor: number): RgbImage {
  const { width: w, height: h, data } = image;
  const sw = Math.max(1, Math.round(w * factor));
  const sh = Math.max(1, Math.round(h * factor));
  const small = new Float64Array(sw * sh * 3);
  const count = new Float64Array(sw * sh);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(sh - 1, Math.floor((y * sh) / h));
    for (let x = 0; x < w; x++) {
      const s = sy * sw + Math.min(sw - 1, Math.floor((x * sw) / w));
      count[s]++;
      for (let c = 0; c < 3; c++) small[s * 3 + c] += data[(y * w + x) * 3 + c];
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(sh - 1, Math.floor((y * sh) / h));
    for (let x = 0; x < w; x++) {
      const s = sy * sw + Math.min(sw - 1, Math.floor((x * sw) / w));
      for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = clampByte(small[s * 3 + c] / count[s]);
    }
  }
  return { width: w, height: h, data: out };
}

/** Rotation about the centre by `degrees` (counter-clockwise), bilinear, black outside the source. */
function rotate(image: RgbImage, degrees: number): RgbImage {
  const { width: w, height: h, data } = image;
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const out = new Uint8Array(data.length);
  const at = (x: number, y: number, c: number) => (x < 0 || y < 0 || x >= w || y >= h ? 0 : data[(y * w + x) * 3 + c]);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // inverse map: where in the source does this output pixel come from
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx - sin * dy + cx;
      const sy = sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx;
        const bottom = at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx;
        out[(y * w + x) * 3 + c] = clampByte(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Encode and decode with jpeg-js (pure JS: same bytes in a worker and in Node). Its encoder
 * returns `Buffer.from(...)` whenever a CommonJS `module` exists, which bundlers provide in the
 * browser too; a Uint8Array stand-in is lent for the synchronous call only.
 */
function jpegRoundTrip(image: RgbImage, quality: number): RgbImage {
  const { width: w, height: h, data } = image;
  const rgba = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    rgba[p * 4] = data[p * 3];
    rgba[p * 4 + 1] = data[p * 3 + 1];
    rgba[p * 4 + 2] = data[p * 3 + 2];
    rgba[p * 4 + 3] = 255;
  }
  const g = globalThis as { Buffer?: unknown };
  const lent = g.Buffer === undefined;
  if (lent) g.Buffer = { from: (a: ArrayLike<number>) => Uint8Array.from(a) };
  let encoded: Uint8Array;
  try {
    encoded = jpeg.encode({ width: w, height: h, data: rgba }, quality).data;
  } finally {
    if (lent) delete g.Buffer;
  }
  const decoded = jpeg.decode(encoded, { useTArray: true, formatAsRGBA: false });
  return { width: w, height: h, data: Uint8Array.from(decoded.data) };
}
