/**
 * Node image decoding: PNG/BMP/GIF through the shared TypeScript decoders (bit-identical to the
 * browser path), JPEG/WebP/AVIF through sharp (libvips + libjpeg-turbo, which decodes JPEG
 * bit-identically to PIL). EXIF orientation is applied here, never by sharp.
 */
import sharp from 'sharp';
import { applyOrientation } from './exif';
import { ImageInputError, type RgbImage } from './image';
import { checkDecodedSize, cmykToRgb, decodeLossless, prepare, toRgb, type DecodeOptions } from './decode-common';

export type { DecodeOptions } from './decode-common';

/**
 * libjpeg reports a scan that ends early ("premature end of data segment", e.g. a progressive JPEG
 * cut short with an end marker appended) only as a warning, and libvips then returns a grey or
 * blurred picture. JPEGs are therefore decoded failing on warnings, except the harmless one that
 * many cameras trigger (stray bytes between markers), which gets a second, lenient decode.
 */
const HARMLESS_JPEG_WARNING = /extraneous bytes before marker/i;

async function decodeWithSharp(bytes: Uint8Array, name: string, format: string, maxPixels: number): Promise<RgbImage> {
  try {
    return await decodeWithSharpOnce(bytes, maxPixels, format === 'jpeg' ? 'warning' : 'error');
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (format === 'jpeg' && HARMLESS_JPEG_WARNING.test(msg)) {
      try {
        return await decodeWithSharpOnce(bytes, maxPixels, 'error');
      } catch (e2) {
        throw sharpError(e2, name, format, maxPixels);
      }
    }
    throw sharpError(e, name, format, maxPixels);
  }
}

function sharpError(e: unknown, name: string, format: string, maxPixels: number): ImageInputError {
  const msg = (e as Error).message ?? String(e);
  if (/pixel limit/i.test(msg)) {
    return new ImageInputError(name, `image too large: over the ${maxPixels / 1e6} megapixel limit (refused before decoding)`);
  }
  return new ImageInputError(name, `corrupt or undecodable ${format.toUpperCase()} (${msg.split('\n')[0]})`);
}

async function decodeWithSharpOnce(bytes: Uint8Array, maxPixels: number, failOn: 'error' | 'warning'): Promise<RgbImage> {
  // ignoreIcc: PIL and the browser path (colorSpaceConversion 'none') do not colour-manage.
  const opts = { limitInputPixels: maxPixels, ignoreIcc: true, pages: 1, failOn };
  {
    const meta = await sharp(bytes, opts).metadata();
    if (meta.space === 'cmyk') {
      // Raw CMYK out (libvips un-inverts Adobe CMYK), then Chromium's naive formula, no profile.
      const { data, info } = await sharp(bytes, opts)
        .pipelineColourspace('cmyk')
        .toColourspace('cmyk')
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 4) throw new Error(`expected 4 CMYK channels, got ${info.channels}`);
      return { width: info.width, height: info.height, data: cmykToRgb(new Uint8Array(data), info.width * info.height) };
    }
    const { data, info } = await sharp(bytes, opts).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const u8 = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { width: info.width, height: info.height, data: toRgb(u8, info.width, info.height, info.channels).slice() };
  }
}

/** Decode any supported image file to 8-bit RGB with EXIF orientation applied. Throws ImageInputError. */
export async function decodeImageNode(bytes: Uint8Array, name: string, opts: DecodeOptions = {}): Promise<RgbImage> {
  const p = prepare(bytes, name, opts);
  let img = decodeLossless(bytes, name, p.format);
  if (!img) img = await decodeWithSharp(p.platformBytes, name, p.format, p.maxPixels);
  checkDecodedSize(img, name, p.maxPixels);
  return applyOrientation(img, p.orientation);
}
