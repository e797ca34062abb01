/**
 * BMP -> RgbImage, following PIL's BmpImagePlugin + convert('RGB'): 1/4/8-bit palette,
 * 16/24/32-bit, BI_RGB / BI_BITFIELDS / BI_ALPHABITFIELDS, RLE8 and RLE4, bottom-up and top-down.
 * n-bit mask fields widen to 8 bits as v * 255 / (2^n - 1) truncated (PIL's BGR;15 / BGR;16
 * unpackers do exactly that). Alpha is dropped. Pure TS, no Node imports.
 */
import { ImageInputError, type RgbImage } from './image';

/** DIB header sizes PIL's BmpImagePlugin accepts (OS/2 1.x core, v1..v5 info headers). */
const BMP_HEADER_SIZES = [40, 52, 56, 64, 108, 124];

const u16 = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8);
const u32 = (b: Uint8Array, p: number) => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
const i32 = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);

interface Field {
  shift: number;
  max: number;
}
function field(mask: number): Field {
  if (!mask) return { shift: 0, max: 0 };
  let shift = 0;
  while (!((mask >>> shift) & 1)) shift++;
  return { shift, max: mask >>> shift };
}

export function decodeBmp(b: Uint8Array, name: string): RgbImage {
  const fail = (why: string): never => {
    throw new ImageInputError(name, `corrupt or unsupported BMP (${why})`);
  };
  if (b.length < 26 || b[0] !== 0x42 || b[1] !== 0x4d) fail('bad header');
  const dataOffset = u32(b, 10);
  const hdr = u32(b, 14);
  let width: number, height: number, bpp: number, compression = 0, colorsUsed = 0;
  let topDown = false;
  let paletteEntry = 4;
  if (hdr === 12) {
    width = u16(b, 18);
    height = u16(b, 20);
    bpp = u16(b, 24);
    paletteEntry = 3;
  } else if (BMP_HEADER_SIZES.includes(hdr)) {
    if (b.length < 14 + hdr) fail(`file too short for its ${hdr}-byte header`);
    width = i32(b, 18);
    const h = i32(b, 22);
    topDown = h < 0;
    height = Math.abs(h);
    bpp = u16(b, 28);
    compression = u32(b, 30);
    colorsUsed = u32(b, 46);
  } else {
    return fail(`header size ${hdr} (expected 12, 40, 52, 56, 64, 108 or 124)`);
  }
  if (width <= 0 || height <= 0) fail(`dimensions ${width}x${height}`);
  if (dataOffset < 14 + hdr || dataOffset >= b.length) fail(`pixel data offset ${dataOffset} outside the file (${b.length} bytes)`);

  // Channel masks: in the header for v2+ headers, right after a 40-byte header otherwise.
  let masks: number[];
  if (compression === 3 || compression === 6) {
    if (b.length < 14 + 40 + 12) fail('missing bit masks');
    masks = [u32(b, 54), u32(b, 58), u32(b, 62)];
  } else if (bpp === 16) {
    masks = [0x7c00, 0x03e0, 0x001f];
  } else {
    masks = [0xff0000, 0x00ff00, 0x0000ff];
  }
  if (compression !== 0 && compression !== 3 && compression !== 6 && compression !== 1 && compression !== 2) {
    fail(`compression type ${compression} (JPEG/PNG-in-BMP not supported)`);
  }

  const stride = Math.floor((width * bpp + 31) / 32) * 4;
  const rle = compression === 1 || compression === 2;
  // Checked before the pixel buffer is allocated: a 100-byte file must not claim 300 MB.
  if (!rle && bpp <= 32 && dataOffset + stride * (height - 1) + Math.ceil((width * bpp) / 8) > b.length) fail('truncated pixel data');

  const out = new Uint8Array(width * height * 3);
  const rowOf = (y: number) => (topDown ? y : height - 1 - y); // file row -> image row

  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const n = colorsUsed || 1 << bpp;
    const start = 14 + hdr + (compression === 3 ? 12 : compression === 6 ? 16 : 0);
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < Math.min(n, 256); i++) {
      const p = start + i * paletteEntry;
      if (p + 3 > b.length) break;
      palette[i * 3] = b[p + 2];
      palette[i * 3 + 1] = b[p + 1];
      palette[i * 3 + 2] = b[p];
    }
  }
  const putIndex = (x: number, imgRow: number, idx: number) => {
    const d = (imgRow * width + x) * 3;
    out[d] = palette![idx * 3];
    out[d + 1] = palette![idx * 3 + 1];
    out[d + 2] = palette![idx * 3 + 2];
  };

  if (compression === 1 || compression === 2) {
    if (!palette) fail('RLE without a palette');
    // Pixels the RLE stream skips are index 0, as in PIL's BmpRleDecoder.
    for (let i = 0; i < width * height; i++) out.set(palette!.subarray(0, 3), i * 3);
    const bad = decodeRle(b, dataOffset, width, height, compression === 1 ? 8 : 4, (x, y, idx) => putIndex(x, rowOf(y), idx));
    if (bad) fail(bad);
    return { width, height, data: out };
  }

  if (bpp === 1 || bpp === 2 || bpp === 4 || bpp === 8) {
    const mask = (1 << bpp) - 1;
    for (let y = 0; y < height; y++) {
      const row = dataOffset + y * stride;
      const r = rowOf(y);
      for (let x = 0; x < width; x++) {
        const bit = x * bpp;
        putIndex(x, r, (b[row + (bit >> 3)] >> (8 - bpp - (bit & 7))) & mask);
      }
    }
  } else if (bpp === 24 && compression === 0) {
    for (let y = 0; y < height; y++) {
      const row = dataOffset + y * stride;
      let d = rowOf(y) * width * 3;
      for (let x = 0; x < width; x++, d += 3) {
        out[d] = b[row + x * 3 + 2];
        out[d + 1] = b[row + x * 3 + 1];
        out[d + 2] = b[row + x * 3];
      }
    }
  } else if (bpp === 16 || bpp === 32 || bpp === 24) {
    const fs = masks.map(field);
    const bytes = bpp / 8;
    for (let y = 0; y < height; y++) {
      const row = dataOffset + y * stride;
      let d = rowOf(y) * width * 3;
      for (let x = 0; x < width; x++) {
        const p = row + x * bytes;
        const v = bpp === 16 ? u16(b, p) : bpp === 24 ? b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) : u32(b, p);
        for (const f of fs) {
          const c = f.max ? (v >>> f.shift) & f.max : 0;
          out[d++] = f.max === 255 ? c : f.max ? Math.floor((c * 255) / f.max) : 0;
        }
      }
    }
  } else {
    fail(`${bpp} bits per pixel`);
  }
  return { width, height, data: out };
}

/**
 * RLE8/RLE4 (BI_RLE8 / BI_RLE4) in file row order. Returns why the stream is malformed, or ''.
 * A run or literal that passes the row's end, a delta that leaves the image, or data that ends
 * with rows still to fill and no end-of-bitmap marker is corrupt (issue 21), not a padded image.
 */
function decodeRle(
  b: Uint8Array,
  start: number,
  width: number,
  height: number,
  bits: 4 | 8,
  put: (x: number, fileRow: number, idx: number) => void,
): string {
  let p = start;
  let x = 0;
  let y = 0;
  const rle = `RLE${bits}`;
  while (y < height) {
    if (p + 1 >= b.length) return `${rle} data ends at row ${y} of ${height} with no end-of-bitmap marker (truncated?)`;
    const n = b[p];
    const v = b[p + 1];
    p += 2;
    if (n > 0) {
      if (x + n > width) return `${rle} run of ${n} pixels at x=${x} overflows row ${y} (width ${width})`;
      for (let i = 0; i < n; i++) put(x++, y, bits === 8 ? v : i & 1 ? v & 15 : v >> 4);
    } else if (v === 0) {
      x = 0;
      y++;
    } else if (v === 1) {
      return '';
    } else if (v === 2) {
      if (p + 1 >= b.length) return `${rle} data ends inside a delta (truncated?)`;
      x += b[p];
      y += b[p + 1];
      p += 2;
      if (x > width || y > height || (y === height && x > 0)) return `${rle} delta moves outside the ${width}x${height} image`;
    } else {
      if (x + v > width) return `${rle} literal of ${v} pixels at x=${x} overflows row ${y} (width ${width})`;
      const used = bits === 8 ? v : Math.ceil(v / 2);
      if (p + used > b.length) return `${rle} literal runs past the end of the file (truncated?)`;
      for (let i = 0; i < v; i++) put(x++, y, bits === 8 ? b[p + i] : i & 1 ? b[p + (i >> 1)] & 15 : b[p + (i >> 1)] >> 4);
      p += used + (used & 1);
    }
  }
  return '';
}
