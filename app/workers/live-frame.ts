/**
 * A camera frame as the lab's images are: 8-bit RGB read from the ImageBitmap through a 2D
 * OffscreenCanvas (camera frames are opaque, so the canvas round trip keeps every pixel), and the
 * same pixels back as a PNG (lossless), so a paused frame classified as a file sees identical input.
 */
import { packRgb } from '../../src/data/decode-browser';
import type { RgbImage } from '../../src/data/image';

export function frameToRgb(bmp: ImageBitmap): { img: RgbImage; rgba: Uint8ClampedArray } {
  const { width, height } = bmp;
  if (!width || !height) throw new Error('the video gave an empty frame');
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(bmp, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;
  return { img: { width, height, data: packRgb(rgba, width * height) }, rgba };
}

export async function rgbaToPng(rgba: Uint8ClampedArray, width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { colorSpace: 'srgb' })!;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height, { colorSpace: 'srgb' }), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}
