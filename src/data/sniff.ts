/**
 * Image format detection from magic bytes (never from the file name), so a text file called
 * photo.jpg or an SVG gets a clear message instead of a decoder crash. No Node imports.
 */
import { ImageInputError } from './image';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp' | 'avif';

export type Sniffed =
  | { ok: true; format: ImageFormat }
  | { ok: false; reason: string };

function ascii(b: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  return sig.every((v, i) => b[at + i] === v);
}

/** ISO-BMFF brands (major + compatible) from the leading ftyp box, or null. */
function ftypBrands(b: Uint8Array): string[] | null {
  if (b.length < 16 || ascii(b, 4, 4) !== 'ftyp') return null;
  const size = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const end = Math.min(b.length, Math.max(16, size));
  const brands = [ascii(b, 8, 4)];
  for (let p = 16; p + 4 <= end; p += 4) brands.push(ascii(b, p, 4));
  return brands;
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 9 || c === 10 || c === 13 || c >= 32) continue;
    return false;
  }
  return true;
}

const UNSUPPORTED = 'unsupported format';

export function sniffFormat(b: Uint8Array): Sniffed {
  if (b.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, format: 'png' };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { ok: true, format: 'jpeg' };
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return { ok: true, format: 'gif' };
  if (ascii(b, 0, 2) === 'BM' && b.length >= 26) return { ok: true, format: 'bmp' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { ok: true, format: 'webp' };
  const brands = ftypBrands(b);
  if (brands) {
    if (brands.some((x) => x === 'avif' || x === 'avis')) return { ok: true, format: 'avif' };
    if (brands.some((x) => ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(x))) {
      return { ok: false, reason: `${UNSUPPORTED}: HEIC/HEIF (browsers cannot decode it; convert to JPEG or PNG)` };
    }
    if (brands.some((x) => x.startsWith('jxl'))) return { ok: false, reason: `${UNSUPPORTED}: JPEG XL` };
    if (brands.some((x) => x === 'jp2 ' || x === 'jpx ')) return { ok: false, reason: `${UNSUPPORTED}: JPEG 2000` };
    return { ok: false, reason: `${UNSUPPORTED}: an ISO media file (brand "${brands[0].trim()}"), not an image this lab decodes` };
  }
  if (startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return { ok: false, reason: `${UNSUPPORTED}: JPEG 2000` };
  if (startsWith(b, [0xff, 0x0a]) || startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) {
    return { ok: false, reason: `${UNSUPPORTED}: JPEG XL` };
  }
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { ok: false, reason: `${UNSUPPORTED}: TIFF (convert to PNG or JPEG)` };
  }
  if (ascii(b, 0, 5) === '%PDF-') return { ok: false, reason: `${UNSUPPORTED}: PDF document` };
  if (ascii(b, 0, 4) === '8BPS') return { ok: false, reason: `${UNSUPPORTED}: Photoshop PSD` };
  if (startsWith(b, [0x00, 0x00, 0x01, 0x00]) || startsWith(b, [0x00, 0x00, 0x02, 0x00])) {
    return { ok: false, reason: `${UNSUPPORTED}: ICO/CUR icon` };
  }
  if (ascii(b, 0, 4) === 'qoif') return { ok: false, reason: `${UNSUPPORTED}: QOI` };
  if (ascii(b, 0, 4) === 'RIFF') return { ok: false, reason: `${UNSUPPORTED}: a RIFF file (${ascii(b, 8, 4).trim()}) that is not WebP` };
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return { ok: false, reason: 'not an image: a ZIP archive' };
  // Text: SVG (never rendered or executed), other XML/HTML, plain text.
  let head = '';
  const n = Math.min(b.length, 1024);
  for (let i = 0; i < n; i++) head += String.fromCharCode(b[i]);
  head = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  if (head.includes('<svg')) return { ok: false, reason: `${UNSUPPORTED}: SVG (vector graphics are not decoded; export it as PNG)` };
  if (head.startsWith('<?xml') || head.startsWith('<!doctype') || head.startsWith('<html')) {
    return { ok: false, reason: 'not an image: an XML/HTML document' };
  }
  if (ascii(b, 0, 2) === 'BM') return { ok: false, reason: 'corrupt or truncated BMP (header too short)' };
  if (looksLikeText(b)) return { ok: false, reason: 'not an image: this file contains text' };
  return { ok: false, reason: 'not an image, or a format this lab does not recognise' };
}

/** sniffFormat, throwing ImageInputError(name, reason) for anything the lab cannot decode. */
export function requireImageFormat(bytes: Uint8Array, name: string): ImageFormat {
  const s = sniffFormat(bytes);
  if (!s.ok) throw new ImageInputError(name, s.reason);
  return s.format;
}
