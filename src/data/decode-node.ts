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

async function decodeWithSharp(bytes: Uint8Array, name: string, format: string, maxPixels: number): Promise<RgbImage> {
  // ignoreIcc: PIL and the browser path (colorSpaceConversion 'none') do not colour-manage.
  const opts = { limitInputPixels: maxPixels, ignoreIcc: true, pages: 1, failOn: 'error' as const };
  try {
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
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/pixel limit/i.test(msg)) {
      throw new ImageInputError(name, `image too large: over the ${maxPixels / 1e6} megapixel limit (refused before decoding)`);
    }
    throw new ImageInputError(name, `corrupt or undecodable ${format.toUpperCase()} (${msg.split('\n')[0]})`);
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
