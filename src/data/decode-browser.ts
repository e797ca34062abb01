/**
 * Browser (Web Worker or page) image decoding. PNG/BMP/GIF go through the same TypeScript
 * decoders as Node, so they are bit-identical everywhere. JPEG/WebP/AVIF use the browser's decoder:
 * createImageBitmap with premultiplyAlpha 'none' and colorSpaceConversion 'none' (no colour
 * management, like PIL), then pixels are read back without loss:
 * - JPEG is opaque, so a 2D OffscreenCanvas round-trips it exactly;
 * - WebP/AVIF may carry alpha, and a 2D canvas stores premultiplied colour (lossy under partial
 *   alpha), so those are read through WebGL (UNPACK_PREMULTIPLY_ALPHA false), falling back to 2D.
 * EXIF orientation: the bytes handed to the browser have the tag reset to 1 (decode-common), so
 * no browser version or imageOrientation default can rotate them; we rotate once, like Node.
 * No Node imports here.
 */
import { applyOrientation } from './exif';
import { ImageInputError, type RgbImage } from './image';
import { checkDecodedSize, decodeLossless, MIME, prepare, toRgb, type DecodeOptions } from './decode-common';
import type { ImageFormat } from './sniff';

export type { DecodeOptions } from './decode-common';

function readVia2d(bmp: ImageBitmap): Uint8ClampedArray {
  const canvas = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(bmp, 0, 0);
  return ctx.getImageData(0, 0, bmp.width, bmp.height, { colorSpace: 'srgb' }).data;
}

/** Straight (non-premultiplied) RGBA through a WebGL texture; null when WebGL is unavailable. */
function readViaWebgl(bmp: ImageBitmap): Uint8Array | null {
  const canvas = new OffscreenCanvas(1, 1);
  const gl = canvas.getContext('webgl2', { premultipliedAlpha: false, antialias: false }) as WebGL2RenderingContext | null;
  if (!gl) return null;
  try {
    const tex = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, bmp.width, bmp.height, 0, gl.RGBA, gl.UNSIGNED_BYTE, bmp);
    const fb = gl.createFramebuffer();
    gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return null;
    const out = new Uint8Array(bmp.width * bmp.height * 4);
    gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
    gl.readPixels(0, 0, bmp.width, bmp.height, gl.RGBA, gl.UNSIGNED_BYTE, out);
    if (gl.getError() !== gl.NO_ERROR) return null;
    gl.deleteFramebuffer(fb);
    gl.deleteTexture(tex);
    return out;
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

async function decodeWithBrowser(bytes: Uint8Array, name: string, format: ImageFormat): Promise<RgbImage> {
  let bmp: ImageBitmap;
  try {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME[format] });
    bmp = await createImageBitmap(blob, {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
      imageOrientation: 'from-image', // EXIF tag already 1; keeps AVIF irot/imir as libheif applies them
    });
  } catch (e) {
    const why = format === 'avif' ? 'this browser cannot decode it or it is corrupt' : 'corrupt or truncated';
    throw new ImageInputError(name, `${format.toUpperCase()}: ${why} (${(e as Error).message})`);
  }
  try {
    const { width, height } = bmp;
    const rgba = (format !== 'jpeg' && readViaWebgl(bmp)) || readVia2d(bmp);
    return { width, height, data: toRgb(rgba, width, height, 4) };
  } finally {
    bmp.close();
  }
}

/** Decode any supported image file to 8-bit RGB with EXIF orientation applied. Throws ImageInputError. */
export async function decodeImageBrowser(bytes: Uint8Array, name: string, opts: DecodeOptions = {}): Promise<RgbImage> {
  const p = prepare(bytes, name, opts);
  let img = decodeLossless(bytes, name, p.format);
  if (!img) img = await decodeWithBrowser(p.platformBytes, name, p.format);
  checkDecodedSize(img, name, p.maxPixels);
  return applyOrientation(img, p.orientation);
}
