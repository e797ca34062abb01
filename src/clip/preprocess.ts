/**
 * Image preprocessing identical to Hugging Face's slow (PIL) CLIPImageProcessor and
 * ViTImageProcessor: resize (PIL resample.c port) -> center crop -> rescale -> normalize -> CHW.
 * Pure TypeScript with no Node imports: the browser worker and the CLI run these same lines.
 */
import type { RgbImage } from '../data/image';
import type { PreprocessorConfig } from './preprocess-config';
import { resizeRgb, resizeRgbWindow } from './preprocess-resample';

export { loadPreprocessorConfig, PreprocessorConfigError } from './preprocess-config';
export type { PreprocessorConfig, ResizeSpec } from './preprocess-config';
export { resizeRgb, resizeRgbWindow, PilFilter } from './preprocess-resample';
export type { PilFilterCode, ResizeWindow } from './preprocess-resample';

/** Output (height, width) of the resize step, as transformers computes it. */
export function resizeTarget(width: number, height: number, cfg: PreprocessorConfig): { width: number; height: number } {
  if (!cfg.doResize) return { width, height };
  if (cfg.size.kind === 'exact') return { width: cfg.size.width, height: cfg.size.height };
  // get_resize_output_image_size(default_to_square=False): long side int(size * long / short).
  const s = cfg.size.shortestEdge;
  if (width <= height) return { width: s, height: Math.trunc((s * height) / width) };
  return { width: Math.trunc((s * width) / height), height: s };
}

/** [channels, height, width] of `preprocess(img, cfg)`'s output. */
export function outputShape(img: { width: number; height: number }, cfg: PreprocessorConfig): [3, number, number] {
  if (cfg.doCenterCrop) return [3, cfg.cropSize.height, cfg.cropSize.width];
  const r = resizeTarget(img.width, img.height, cfg);
  return [3, r.height, r.width];
}

/**
 * transformers' center_crop on uint8 HWC: top = (h - ch) // 2, left = (w - cw) // 2 (floor), and
 * zero padding (centred with ceil) when the image is smaller than the crop.
 */
export function centerCrop(img: RgbImage, cropH: number, cropW: number): RgbImage {
  const { width: w, height: h } = img;
  let top = Math.floor((h - cropH) / 2);
  let left = Math.floor((w - cropW) / 2);
  if (top >= 0 && left >= 0) {
    const out = new Uint8Array(cropW * cropH * 3);
    for (let y = 0; y < cropH; y++) {
      const s = ((y + top) * w + left) * 3;
      out.set(img.data.subarray(s, s + cropW * 3), y * cropW * 3);
    }
    return { width: cropW, height: cropH, data: out };
  }
  // Pad to at least the crop size, image centred with ceil offsets, then crop.
  const newH = Math.max(cropH, h);
  const newW = Math.max(cropW, w);
  const topPad = Math.ceil((newH - h) / 2);
  const leftPad = Math.ceil((newW - w) / 2);
  top += topPad;
  left += leftPad;
  const y0 = Math.max(0, top);
  const y1 = Math.min(newH, top + cropH);
  const x0 = Math.max(0, left);
  const x1 = Math.min(newW, left + cropW);
  const outW = x1 - x0;
  const outH = y1 - y0;
  const out = new Uint8Array(outW * outH * 3);
  for (let y = 0; y < outH; y++) {
    const py = y + y0 - topPad;
    if (py < 0 || py >= h) continue;
    for (let x = 0; x < outW; x++) {
      const px = x + x0 - leftPad;
      if (px < 0 || px >= w) continue;
      const s = (py * w + px) * 3;
      const d = (y * outW + x) * 3;
      out[d] = img.data[s];
      out[d + 1] = img.data[s + 1];
      out[d + 2] = img.data[s + 2];
    }
  }
  return { width: outW, height: outH, data: out };
}

/**
 * Pixel values as the model expects them: float32, CHW, length 3 * H * W (see outputShape).
 * Arithmetic follows numpy's: rescale in float64 then cast to float32; normalize in float32
 * ((x - mean) / std with mean/std cast to float32). Math.fround after each step reproduces that.
 */
export function preprocess(img: RgbImage, cfg: PreprocessorConfig): Float32Array {
  if (img.data.length !== img.width * img.height * 3) {
    throw new RangeError(`RgbImage data length ${img.data.length} != ${img.width}x${img.height}x3`);
  }
  let cur = img;
  let cropped = false;
  if (cfg.doResize) {
    const t = resizeTarget(img.width, img.height, cfg);
    const { height: ch, width: cw } = cfg.cropSize;
    const top = Math.floor((t.height - ch) / 2);
    const left = Math.floor((t.width - cw) / 2);
    if (cfg.doCenterCrop && top >= 0 && left >= 0) {
      // Resize only what the crop keeps: the same pixels as resize-then-crop, a fraction of the work.
      cur = resizeRgbWindow(cur, t.width, t.height, cfg.resample, { left, top, width: cw, height: ch });
      cropped = true;
    } else {
      cur = resizeRgb(cur, t.width, t.height, cfg.resample);
    }
  }
  if (cfg.doCenterCrop && !cropped) cur = centerCrop(cur, cfg.cropSize.height, cfg.cropSize.width);

  const plane = cur.width * cur.height;
  const out = new Float32Array(plane * 3);
  // 256-entry lookup per channel: each uint8 value maps to exactly one float32 result.
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
