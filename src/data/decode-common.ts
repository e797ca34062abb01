/**
 * The environment-independent half of image decoding, shared by decode-node.ts and
 * decode-browser.ts: format sniffing, the decompression-bomb check, EXIF orientation, the pure-TS
 * lossless decoders, and channel conversion. No Node imports.
 */
import { decodeBmp } from './bmp';
import { assertPixelLimit, checkDeclaredSize, MAX_IMAGE_PIXELS, MAX_INPUT_BYTES } from './dimensions';
import { readExifOrientation, withOrientationCleared } from './exif';
import { decodeGif } from './gif';
import { ImageInputError, type RgbImage } from './image';
import { decodePng } from './png';
import { requireImageFormat, type ImageFormat } from './sniff';

export interface DecodeOptions {
  /** Refuse images with more pixels than this (default 100 megapixels). */
  maxPixels?: number;
}

export const MIME: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  avif: 'image/avif',
};

export interface Prepared {
  format: ImageFormat;
  /** EXIF orientation to apply after decoding (1 = none). */
  orientation: number;
  /** Bytes for a platform decoder: the orientation tag reset to 1 so nothing rotates twice. */
  platformBytes: Uint8Array;
  maxPixels: number;
}

/** Everything checked before a single pixel is decoded. Throws ImageInputError. */
export function prepare(bytes: Uint8Array, name: string, opts: DecodeOptions = {}): Prepared {
  const maxPixels = opts.maxPixels ?? MAX_IMAGE_PIXELS;
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new ImageInputError(name, `file too large: ${Math.round(bytes.length / 2 ** 20)} MB, over the ${MAX_INPUT_BYTES / 2 ** 20} MB limit for one image`);
  }
  const format = requireImageFormat(bytes, name);
  checkDeclaredSize(bytes, format, name, maxPixels);
  if (format === 'jpeg' && jpegLooksTruncated(bytes)) {
    throw new ImageInputError(name, 'corrupt or truncated JPEG (no end-of-image marker after the image data)');
  }
  const orientation = readExifOrientation(bytes, format);
  const platformBytes = format === 'jpeg' || format === 'webp' ? withOrientationCleared(bytes, format) : bytes;
  return { format, orientation, platformBytes, maxPixels };
}

/**
 * A JPEG whose scan data has no EOI (FF D9) was cut short. Checked here, not left to the decoder,
 * because libjpeg in Node and Chromium's decoder disagree on truncated files (error vs. grey fill).
 */
export function jpegLooksTruncated(b: Uint8Array): boolean {
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return true;
    const m = b[p + 1];
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xda) break; // first scan: entropy data follows
    p += 2 + ((b[p + 2] << 8) | b[p + 3]);
  }
  if (p + 4 > b.length) return true;
  for (let i = b.length - 2; i > p; i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return false;
  return true;
}

/** PNG, BMP and GIF decode in TypeScript everywhere, so Node and the browser agree bit for bit. */
export function decodeLossless(bytes: Uint8Array, name: string, format: ImageFormat): RgbImage | null {
  if (format === 'png') return decodePng(bytes, name);
  if (format === 'bmp') return decodeBmp(bytes, name);
  if (format === 'gif') return decodeGif(bytes, name);
  return null;
}

export function checkDecodedSize(img: { width: number; height: number }, name: string, maxPixels: number): void {
  assertPixelLimit(img, name, maxPixels);
}

/** Interleaved 1..4-channel 8-bit pixels -> RGB: gray expanded, alpha dropped (PIL convert('RGB')). */
export function toRgb(data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number): Uint8Array {
  const n = width * height;
  if (channels === 3) return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
  const out = new Uint8Array(n * 3);
  for (let i = 0, s = 0; i < n; i++, s += channels) {
    if (channels <= 2) {
      out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = data[s];
    } else {
      out[i * 3] = data[s];
      out[i * 3 + 1] = data[s + 1];
      out[i * 3 + 2] = data[s + 2];
    }
  }
  return out;
}

/**
 * CMYK (true ink amounts, 0 = no ink) -> RGB the way Chromium's JPEG decoder does it
 * (jpeg_image_decoder.cc on Adobe-inverted samples iC, iK: R = iC * iK / 255, truncated), with no
 * ICC profile. PIL's convert('RGB') uses a rounded variant; we follow the browser (issue 3).
 */
export function cmykToRgb(cmyk: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const k = 255 - cmyk[i * 4 + 3];
    out[i * 3] = Math.floor(((255 - cmyk[i * 4]) * k) / 255);
    out[i * 3 + 1] = Math.floor(((255 - cmyk[i * 4 + 1]) * k) / 255);
    out[i * 3 + 2] = Math.floor(((255 - cmyk[i * 4 + 2]) * k) / 255);
  }
  return out;
}
