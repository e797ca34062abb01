/**
 * A short Y4M clip for Chromium's fake camera (--use-file-for-fake-video-capture), made from fixture
 * images: each image is one segment of `framesPer` identical frames. Images are resized (nearest
 * neighbour) to the clip size and converted to I420 (BT.601 limited range); the camera path changes
 * pixels through that round trip, so tests compare against the frame as captured, and use the RGB
 * sources only to tell which segment a captured frame came from.
 *
 * recordWebm() makes the same kind of clip as a WebM video file, in the browser itself (a canvas
 * showing each image in turn, recorded by MediaRecorder): no network, no video committed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Page } from '@playwright/test';
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

/**
 * Records a WebM (VP8 where offered) in `page`: a canvas of width x height showing each PNG in turn for
 * `msPer` ms (drawn nearest neighbour, redrawn at `fps` so the recorder gets frames throughout), as
 * MediaRecorder writes it. Returns the file's bytes, its MIME type and each segment's RGB at the clip size
 * (the same nearest-neighbour resize; the codec is lossy, so use them to tell segments apart only).
 */
export async function recordWebm(page: Page, pngs: string[], opts: { width: number; height: number; fps: number; msPer: number }): Promise<{ buffer: Buffer; mimeType: string; segments: RgbImage[] }> {
  const b64 = pngs.map((p) => readFileSync(p).toString('base64'));
  const out = await page.evaluate(
    async ({ b64, width, height, fps, msPer }) => {
      const bitmaps = await Promise.all(b64.map((s) => createImageBitmap(new Blob([Uint8Array.from(atob(s), (c) => c.charCodeAt(0))], { type: 'image/png' }))));
      const mimeType = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
      if (!mimeType) throw new Error('this browser\'s MediaRecorder cannot write WebM');
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d')!;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(bitmaps[0], 0, 0, width, height);
      const stream = canvas.captureStream(fps);
      // a high bit rate for a tiny picture: the codec changes pixels as little as it can
      const rec = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 4_000_000 });
      const chunks: Blob[] = [];
      rec.ondataavailable = (e) => {
        if (e.data.size) chunks.push(e.data);
      };
      const stopped = new Promise((r) => (rec.onstop = r));
      rec.start();
      for (const bmp of bitmaps) {
        const t0 = performance.now();
        while (performance.now() - t0 < msPer) {
          ctx.drawImage(bmp, 0, 0, width, height);
          await new Promise((r) => setTimeout(r, 1000 / fps));
        }
      }
      rec.stop();
      await stopped;
      stream.getTracks().forEach((t) => t.stop());
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { b64: btoa(bin), mimeType };
    },
    { b64, ...opts },
  );
  const segments = pngs.map((p) => resizeNearest(decodePng(new Uint8Array(readFileSync(p)), p), opts.width, opts.height));
  return { buffer: Buffer.from(out.b64, 'base64'), mimeType: out.mimeType, segments };
}
