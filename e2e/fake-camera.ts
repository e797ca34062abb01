/**
 * A short Y4M clip for Chromium's fake camera (--use-file-for-fake-video-capture), made from fixture
 * images: each image is one segment of `framesPer` identical frames. Images are resized (nearest
 * neighbour) to the clip size and converted to I420 (BT.601 limited range); the camera path changes
 * pixels through that round trip, so tests compare against the frame as captured, and use the RGB
 * sources only to tell which segment a captured frame came from.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodePng } from '../src/data/png';
import type { RgbImage } from '../src/data/image';

export function resizeNearest(img: RgbImage, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(img.height - 1, Math.floor(((y + 0.5) * img.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(img.width - 1, Math.floor(((x + 0.5) * img.width) / width));
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = img.data[(sy * img.width + sx) * 3 + c];
    }
  }
  return { width, height, data };
}

function toI420(img: RgbImage): Buffer {
  const { width: w, height: h, data } = img;
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2));
  const v = Buffer.alloc((w / 2) * (h / 2));
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const p = (j * w + i) * 3;
      y[j * w + i] = clamp(16 + 0.257 * data[p] + 0.504 * data[p + 1] + 0.098 * data[p + 2]);
    }
  }
  for (let j = 0; j < h / 2; j++) {
    for (let i = 0; i < w / 2; i++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = ((2 * j + dy) * w + 2 * i + dx) * 3;
        r += data[p] / 4;
        g += data[p + 1] / 4;
        b += data[p + 2] / 4;
      }
      u[j * (w / 2) + i] = clamp(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      v[j * (w / 2) + i] = clamp(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  return Buffer.concat([y, u, v]);
}

/** Writes the clip; returns the RGB of each segment at the clip size. */
export function writeY4m(path: string, pngs: string[], opts: { width: number; height: number; fps: number; framesPer: number }): RgbImage[] {
  const { width, height, fps, framesPer } = opts;
  const segments = pngs.map((p) => resizeNearest(decodePng(new Uint8Array(readFileSync(p)), p), width, height));
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (const seg of segments) {
    const frame = toI420(seg);
    for (let k = 0; k < framesPer; k++) parts.push(Buffer.from('FRAME\n'), frame);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.concat(parts));
  return segments;
}

/** Mean absolute difference per channel between a captured frame (any size) and a segment, sampled on the segment's grid. */
export function meanAbsDiff(captured: RgbImage, seg: RgbImage): number {
  const c = resizeNearest(captured, seg.width, seg.height);
  let s = 0;
  for (let i = 0; i < c.data.length; i++) s += Math.abs(c.data[i] - seg.data[i]);
  return s / c.data.length;
}
