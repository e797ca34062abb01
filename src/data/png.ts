/**
 * PNG -> RgbImage with fast-png (pure TS, same code in Node and the browser), then PIL
 * `convert('RGB')` semantics: alpha dropped (never composited), gray and palette expanded.
 *
 * Choices where PIL's behaviour is a quirk rather than a rule (issue 3 says follow browsers):
 * - 16-bit samples become 8-bit by round(v * 255 / 65535) (= libpng's png_set_scale_16). PIL keeps
 *   the high byte for 16-bit RGB(A) and clamps 16-bit gray to 255; rounding is the faithful value.
 * - 1/2/4-bit gray is scaled to 0..255 (v * 255 / (2^d - 1)), as PIL and browsers both do.
 * - Palette indices beyond the PLTE entries read as black; tRNS alpha is ignored like any alpha.
 */
import { decode } from 'fast-png';
import { ImageInputError, type RgbImage } from './image';
import { checkPngStructure } from './png-guard';

function unpackLowDepth(data: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  // fast-png leaves samples of 1/2/4 bits packed, rows padded to whole bytes.
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      out[y * width + x] = (data[row + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

export function decodePng(bytes: Uint8Array, name: string): RgbImage {
  // Chunks, CRCs and bounded inflation first: fast-png inflates IDAT and iCCP with no limit.
  checkPngStructure(bytes, name);
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes, { checkCrc: false }); // CRCs already checked, naming the chunk
  } catch (e) {
    throw new ImageInputError(name, `corrupt or truncated PNG (${(e as Error).message})`);
  }
  const { width, height, depth, channels, palette } = png;
  const n = width * height;
  if (!width || !height) throw new ImageInputError(name, 'PNG declares an empty image (0 pixels)');
  let samples: ArrayLike<number> = png.data;
  const expected = n * channels;
  if (depth < 8) samples = unpackLowDepth(png.data as Uint8Array, width, height, depth);
  if (samples.length < expected) throw new ImageInputError(name, 'corrupt or truncated PNG (image data too short)');

  const out = new Uint8Array(n * 3);
  if (palette) {
    for (let i = 0; i < n; i++) {
      const entry = palette[samples[i]];
      if (!entry) continue; // out-of-range index: black
      out[i * 3] = entry[0];
      out[i * 3 + 1] = entry[1];
      out[i * 3 + 2] = entry[2];
    }
    return { width, height, data: out };
  }
  const to8 =
    depth === 16
      ? (v: number) => ((v * 255 + 32767) / 65535) | 0
      : depth < 8
        ? (v: number) => (v * 255) / ((1 << depth) - 1)
        : (v: number) => v;
  const gray = channels <= 2;
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    if (gray) {
      const g = to8(samples[s]);
      out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = g;
    } else {
      out[i * 3] = to8(samples[s]);
      out[i * 3 + 1] = to8(samples[s + 1]);
      out[i * 3 + 2] = to8(samples[s + 2]);
    }
  }
  return { width, height, data: out };
}
