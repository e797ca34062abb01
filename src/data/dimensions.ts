/**
 * Declared image dimensions read from the header only, so decompression bombs (a few KB that
 * claim 100000 x 100000 pixels) are refused before any pixel buffer is allocated.
 */
import { ImageInputError } from './image';
import type { ImageFormat } from './sniff';

/** Largest image the lab decodes: 100 megapixels (~300 MB as RGB, ~400 MB as RGBA while decoding). */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Largest input file read whole (CLI and worker): 256 MB. Checked before reading where a size is known. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export interface Size {
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, p: number) => (b[p] << 8) | b[p + 1];
const u16le = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8);
const u32be = (b: Uint8Array, p: number) => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
const u24le = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16);
const i32le = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);

function jpegSize(b: Uint8Array): Size | null {
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) return null;
    const m = b[p + 1];
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2;
      continue;
    }
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      return { height: u16be(b, p + 5), width: u16be(b, p + 7) };
    }
    p += 2 + u16be(b, p + 2);
  }
  return null;
}

/** The frame header (SOFn): marker, size and each component's sampling factors. */
export function jpegFrame(b: Uint8Array): { marker: number; width: number; height: number; sampling: { h: number; v: number }[] } | null {
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) return null;
    const m = b[p + 1];
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2;
      continue;
    }
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      const n = b[p + 9];
      const sampling: { h: number; v: number }[] = [];
      for (let i = 0; i < n && p + 12 + i * 3 < b.length; i++) {
        const f = b[p + 11 + i * 3];
        sampling.push({ h: f >> 4, v: f & 15 });
      }
      return { marker: m, height: u16be(b, p + 5), width: u16be(b, p + 7), sampling };
    }
    p += 2 + u16be(b, p + 2);
  }
  return null;
}

/**
 * The fewest bytes a Huffman-coded JPEG of this frame can have: every 8x8 block of every component
 * carries a Huffman-coded DC value (at least 1 bit) in the first scan. null for arithmetic coding
 * (SOF9..SOF15), which has no such floor.
 */
export function jpegMinimumBytes(f: NonNullable<ReturnType<typeof jpegFrame>>): number | null {
  if (f.marker >= 0xc9) return null;
  const hMax = Math.max(1, ...f.sampling.map((s) => s.h));
  const vMax = Math.max(1, ...f.sampling.map((s) => s.v));
  let blocks = 0;
  for (const s of f.sampling) {
    if (!s.h || !s.v) continue;
    blocks += Math.ceil(Math.ceil((f.width * s.h) / hMax) / 8) * Math.ceil(Math.ceil((f.height * s.v) / vMax) / 8);
  }
  return Math.ceil(blocks / 8);
}

function webpSize(b: Uint8Array): Size | null {
  const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
  if (chunk === 'VP8X' && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (chunk === 'VP8 ' && b.length >= 30) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

/** AVIF/HEIF: the largest 'ispe' (image spatial extent) property in the file head. */
function avifSize(b: Uint8Array): Size | null {
  let best: Size | null = null;
  const n = Math.min(b.length - 16, 1 << 20);
  for (let p = 4; p < n; p++) {
    if (b[p] === 0x69 && b[p + 1] === 0x73 && b[p + 2] === 0x70 && b[p + 3] === 0x65) {
      const s = { width: u32be(b, p + 8), height: u32be(b, p + 12) };
      if (!best || s.width * s.height > best.width * best.height) best = s;
    }
  }
  return best;
}

/** Dimensions the header declares, or null when the header is too short to say. */
export function declaredSize(b: Uint8Array, format: ImageFormat): Size | null {
  switch (format) {
    case 'png':
      // Only when IHDR comes first, as it must (png-guard names the fault otherwise).
      return b.length >= 24 && b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52
        ? { width: u32be(b, 16), height: u32be(b, 20) }
        : null;
    case 'jpeg':
      return jpegSize(b);
    case 'gif':
      return b.length >= 10 ? { width: u16le(b, 6), height: u16le(b, 8) } : null;
    case 'bmp': {
      if (b.length < 26) return null;
      if (i32le(b, 14) === 12) return { width: u16le(b, 18), height: u16le(b, 20) };
      return { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
    }
    case 'webp':
      return webpSize(b);
    case 'avif':
      return avifSize(b);
  }
}

/** Throws ImageInputError when the declared size exceeds `limit` pixels (or is zero). */
export function checkDeclaredSize(b: Uint8Array, format: ImageFormat, name: string, limit = MAX_IMAGE_PIXELS): Size | null {
  const s = declaredSize(b, format);
  if (!s) return null;
  if (s.width === 0 || s.height === 0) {
    throw new ImageInputError(name, `the ${format.toUpperCase()} header declares an empty image (${s.width}x${s.height})`);
  }
  assertPixelLimit(s, name, limit);
  if (format === 'jpeg') {
    const f = jpegFrame(b);
    const min = f ? jpegMinimumBytes(f) : null;
    if (min !== null && b.length < min) {
      throw new ImageInputError(
        name,
        `the JPEG header declares ${s.width}x${s.height}, which needs at least ${min} bytes of image data ` +
          `(1 bit per 8x8 block); the file has ${b.length} (truncated, or a forged header)`,
      );
    }
  }
  return s;
}

export function assertPixelLimit(s: Size, name: string, limit = MAX_IMAGE_PIXELS): void {
  const px = s.width * s.height;
  if (px > limit) {
    throw new ImageInputError(
      name,
      `image too large: ${s.width}x${s.height} = ${(px / 1e6).toFixed(1)} megapixels, over the ` +
        `${limit / 1e6} megapixel limit (refused before decoding; possible decompression bomb)`,
    );
  }
}
