/** A small JPEG of a decoded image (longest side `max`), made with OffscreenCanvas (browsers/workers only). */
import type { RgbImage } from '../data/image';

export async function makeThumbnail(img: RgbImage, max = 112): Promise<Blob | undefined> {
  if (typeof OffscreenCanvas === 'undefined') return undefined;
  const { width: w, height: h } = img;
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0, j = 0; i < w * h; i++, j += 3) {
    rgba[i * 4] = img.data[j];
    rgba[i * 4 + 1] = img.data[j + 1];
    rgba[i * 4 + 2] = img.data[j + 2];
    rgba[i * 4 + 3] = 255;
  }
  const full = new OffscreenCanvas(w, h);
  full.getContext('2d')!.putImageData(new ImageData(rgba, w, h), 0, 0);
  const scale = Math.min(1, max / Math.max(w, h));
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  const small = new OffscreenCanvas(tw, th);
  const ctx = small.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(full, 0, 0, tw, th);
  return small.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
}
