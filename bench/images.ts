// Test images for the bench, generated (never read from ../shared): a 12-megapixel "photo",
// a 224-pixel one, and N distinct 480x360 JPEGs for the pipeline runs. Cached in bench/.cache/.
import sharp from 'sharp';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir } from './server';

export const imagesDir = join(benchDir, '.cache', 'images');

/** Smooth gradients plus per-image noise: compresses like a photo, differs per seed. */
function photoLike(w: number, h: number, seed: number): Buffer {
  const px = Buffer.alloc(w * h * 3);
  let s = (seed * 2654435761) >>> 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const n = (s >>> 24) / 16 - 8;
      const o = (y * w + x) * 3;
      px[o] = clamp(128 + 100 * Math.sin((x + seed * 13) / (w / 7)) + n);
      px[o + 1] = clamp(128 + 100 * Math.cos((y + seed * 7) / (h / 5)) + n);
      px[o + 2] = clamp(((x + y + seed * 31) * 255) / (w + h) + n);
    }
  }
  return px;
}
const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

async function jpeg(file: string, w: number, h: number, seed: number): Promise<string> {
  if (!existsSync(file)) {
    await sharp(photoLike(w, h, seed), { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 }).toFile(file);
  }
  return file;
}

export async function makeImages(count: number): Promise<{ big: string; small: string; set: string[] }> {
  mkdirSync(imagesDir, { recursive: true });
  const big = await jpeg(join(imagesDir, 'photo-12mp.jpg'), 4000, 3000, 1);
  const small = await jpeg(join(imagesDir, 'photo-224.jpg'), 224, 224, 2);
  const set: string[] = [];
  for (let i = 0; i < count; i++) set.push(await jpeg(join(imagesDir, `img-${String(i).padStart(5, '0')}.jpg`), 480, 360, 100 + i));
  return { big, small, set };
}
