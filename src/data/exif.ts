/**
 * EXIF orientation, read and applied the way PIL's ImageOps.exif_transpose does (which Hugging
 * Face's load_image calls). The tag is read from JPEG APP1, PNG eXIf and WebP EXIF chunks. For
 * decoders that might rotate by themselves (browsers, libvips), `withOrientationCleared` gives them
 * bytes whose tag says 1, so rotation happens exactly once, here, identically everywhere.
 * Not read: XMP tiff:Orientation (Pillow >= 8.3 falls back to it; browsers ignore it) and AVIF
 * irot/imir boxes (applied by the AVIF decoder itself).
 */
import type { RgbImage } from './image';
import type { ImageFormat } from './sniff';

const u16be = (b: Uint8Array, p: number) => (b[p] << 8) | b[p + 1];
const u32be = (b: Uint8Array, p: number) => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
const u32le = (b: Uint8Array, p: number) => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;

function isExifHeader(b: Uint8Array, p: number): boolean {
  return b[p] === 0x45 && b[p + 1] === 0x78 && b[p + 2] === 0x69 && b[p + 3] === 0x66 && b[p + 4] === 0 && b[p + 5] === 0;
}

/** [start, end) of the TIFF structure holding the EXIF data, or null. */
function findTiff(b: Uint8Array, format: ImageFormat): [number, number] | null {
  if (format === 'jpeg') {
    let p = 2;
    while (p + 4 <= b.length && b[p] === 0xff) {
      const m = b[p + 1];
      if (m === 0xda || m === 0xd9) break; // start of scan / end: no more metadata
      if (m === 0xff) {
        p++;
        continue;
      }
      const len = u16be(b, p + 2);
      if (m === 0xe1 && len >= 8 && isExifHeader(b, p + 4)) return [p + 10, Math.min(b.length, p + 2 + len)];
      p += 2 + len;
    }
    return null;
  }
  if (format === 'png') {
    let p = 8;
    while (p + 12 <= b.length) {
      const len = u32be(b, p);
      const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
      if (type === 'eXIf') {
        const s = isExifHeader(b, p + 8) ? p + 14 : p + 8;
        return [s, Math.min(b.length, p + 8 + len)];
      }
      if (type === 'IEND') break;
      p += 12 + len;
    }
    return null;
  }
  if (format === 'webp') {
    let p = 12;
    while (p + 8 <= b.length) {
      const len = u32le(b, p + 4);
      const type = String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
      if (type === 'EXIF') {
        const s = isExifHeader(b, p + 8) ? p + 14 : p + 8;
        return [s, Math.min(b.length, p + 8 + len)];
      }
      p += 8 + len + (len & 1);
    }
  }
  return null;
}

/** Byte offset of the orientation SHORT value in IFD0, and its byte order. */
function findOrientationTag(b: Uint8Array, format: ImageFormat): { pos: number; le: boolean } | null {
  const t = findTiff(b, format);
  if (!t) return null;
  const [s, e] = t;
  if (e - s < 8) return null;
  const le = b[s] === 0x49 && b[s + 1] === 0x49;
  if (!le && !(b[s] === 0x4d && b[s + 1] === 0x4d)) return null;
  const r16 = (p: number) => (le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1]);
  const r32 = (p: number) => (le ? u32le(b, p) : u32be(b, p));
  const ifd = s + r32(s + 4);
  if (ifd + 2 > e) return null;
  const count = r16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > e) return null;
    if (r16(entry) === 0x0112) {
      const type = r16(entry + 2);
      if (type !== 3 && type !== 4) return null; // SHORT (or LONG from sloppy writers)
      return { pos: entry + 8, le };
    }
  }
  return null;
}

/** EXIF orientation 1..8, or 1 when absent or invalid (PIL then leaves the image alone). */
export function readExifOrientation(bytes: Uint8Array, format: ImageFormat): number {
  const tag = findOrientationTag(bytes, format);
  if (!tag) return 1;
  const v = tag.le ? bytes[tag.pos] | (bytes[tag.pos + 1] << 8) : (bytes[tag.pos] << 8) | bytes[tag.pos + 1];
  return v >= 1 && v <= 8 ? v : 1;
}

/** A copy of the file with the orientation tag set to 1 (or the input itself when there is none). */
export function withOrientationCleared(bytes: Uint8Array, format: ImageFormat): Uint8Array {
  const tag = findOrientationTag(bytes, format);
  if (!tag) return bytes;
  const copy = new Uint8Array(bytes); // a real copy, even of a Node buffer (whose slice() is a view)
  copy[tag.pos] = tag.le ? 1 : 0;
  copy[tag.pos + 1] = tag.le ? 0 : 1;
  return copy;
}

/**
 * PIL's exif_transpose: 2 FLIP_LEFT_RIGHT, 3 ROTATE_180, 4 FLIP_TOP_BOTTOM, 5 TRANSPOSE,
 * 6 ROTATE_270 (clockwise), 7 TRANSVERSE, 8 ROTATE_90 (counter-clockwise).
 */
export function applyOrientation(img: RgbImage, orientation: number): RgbImage {
  if (orientation < 2 || orientation > 8) return img;
  const { width: W, height: H, data } = img;
  const swap = orientation >= 5;
  const w = swap ? H : W;
  const h = swap ? W : H;
  const out = new Uint8Array(data.length);
  // For each output pixel (x, y), the source pixel (sx, sy).
  const src: (x: number, y: number) => number = {
    2: (x: number, y: number) => y * W + (W - 1 - x),
    3: (x: number, y: number) => (H - 1 - y) * W + (W - 1 - x),
    4: (x: number, y: number) => (H - 1 - y) * W + x,
    5: (x: number, y: number) => x * W + y,
    6: (x: number, y: number) => (H - 1 - x) * W + y,
    7: (x: number, y: number) => (H - 1 - x) * W + (W - 1 - y),
    8: (x: number, y: number) => x * W + (W - 1 - y),
  }[orientation]!;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = src(x, y) * 3;
      const d = (y * w + x) * 3;
      out[d] = data[s];
      out[d + 1] = data[s + 1];
      out[d + 2] = data[s + 2];
    }
  }
  return { width: w, height: h, data: out };
}
