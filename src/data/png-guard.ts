/**
 * PNG structure check run before any pixel is decoded (issue 21): chunk layout, CRCs, the header,
 * and the zlib streams inflated in small steps with an exact output budget, so a file cannot make
 * the decoder allocate more than its declared size says (a 1x1 header over a gigabyte of IDAT is a
 * decompression bomb, not an image). Pure TS, no Node imports; the browser worker runs it too.
 */
import { Unzlib } from 'fflate';
import { ImageInputError } from './image';

/** Largest embedded ICC profile (iCCP) we let inflate; real profiles are a few KB to ~1 MB. */
export const MAX_ICC_BYTES = 16 * 1024 * 1024;
/** Compressed bytes handed to the inflater at a time: deflate expands at most 1032x, so one step makes ≤ ~66 MB
 * (smaller steps bound that tighter but cost ~3x in time on large images). */
const STEP = 65536;
/** Deflate's largest expansion (a 258-byte match per ~2 bits) with slack for stream headers. */
const MAX_DEFLATE_RATIO = 1032;

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(b: Uint8Array, start: number, end: number): number {
  let c = -1;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const u32 = (b: Uint8Array, p: number) => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Filtered scanline bytes a PNG of this header must inflate to, exactly (Adam7 passes included). */
export function pngDataSize(width: number, height: number, channels: number, depth: number, interlaced: boolean): number {
  const rowBytes = (w: number) => 1 + Math.ceil((w * channels * depth) / 8);
  if (!interlaced) return height * rowBytes(width);
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w > 0 && h > 0) total += h * rowBytes(w);
  }
  return total;
}

/**
 * Inflates a zlib stream in STEP-sized pieces, counting output and throwing `over()` as soon as it
 * passes `limit`. Output is dropped (only the count is kept). Returns the inflated length.
 */
function inflatedLength(parts: Uint8Array[], limit: number, over: () => Error, bad: (why: string) => Error): number {
  let total = 0;
  const z = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > limit) throw over();
  });
  const overErr = (e: unknown) => e instanceof ImageInputError;
  try {
    for (const part of parts) {
      for (let p = 0; p < part.length; p += STEP) z.push(part.subarray(p, Math.min(part.length, p + STEP)), false);
    }
    z.push(new Uint8Array(0), true);
  } catch (e) {
    if (overErr(e)) throw e;
    throw bad((e as Error).message ?? String(e));
  }
  return total;
}

export interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  channels: number;
  interlaced: boolean;
}

/**
 * Walks every chunk up to IEND and throws ImageInputError, naming the chunk and the reason, for
 * anything a careful decoder would refuse. Afterwards fast-png's own inflation is known to be
 * bounded: IDAT by the declared size, iCCP by MAX_ICC_BYTES.
 */
export function checkPngStructure(b: Uint8Array, name: string): PngHeader {
  const fail = (why: string): never => {
    throw new ImageInputError(name, `corrupt or truncated PNG (${why})`);
  };
  if (b.length < 8 + 25) fail('file too short for a PNG header');
  let p = 8;
  let header: PngHeader | null = null;
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  let sawIend = false;
  let lastType = '';
  while (p < b.length) {
    if (p + 12 > b.length) fail(`truncated after the ${lastType || 'signature'} chunk`);
    const len = u32(b, p);
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) fail(`invalid chunk type at byte ${p}`);
    if (len > 0x7fffffff || p + 12 + len > b.length) fail(`chunk ${type} runs past the end of the file (truncated?)`);
    const data = b.subarray(p + 8, p + 8 + len);
    if (crc32(b, p + 4, p + 8 + len) !== u32(b, p + 8 + len)) fail(`bad CRC in chunk ${type}`);
    if (!header && type !== 'IHDR') fail(`the first chunk is ${type}, not IHDR`);
    if (type === 'IHDR') {
      if (header) fail('more than one IHDR chunk');
      if (len !== 13) fail(`IHDR is ${len} bytes, not 13`);
      const width = u32(data, 0);
      const height = u32(data, 4);
      const depth = data[8];
      const colorType = data[9];
      const channels = CHANNELS[colorType];
      if (!channels) fail(`unknown colour type ${colorType}`);
      if (!DEPTHS[colorType].includes(depth)) fail(`bit depth ${depth} is not allowed for colour type ${colorType}`);
      if (data[10] !== 0 || data[11] !== 0) fail(`unknown compression or filter method (${data[10]}, ${data[11]})`);
      if (data[12] > 1) fail(`unknown interlace method ${data[12]}`);
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) fail(`invalid size ${width}x${height}`);
      header = { width, height, depth, colorType, channels, interlaced: data[12] === 1 };
    } else if (type === 'IDAT') {
      if (idat.length && lastType !== 'IDAT') fail('IDAT chunks are not consecutive');
      idat.push(data);
      idatBytes += len;
    } else if (type === 'iCCP') {
      const nul = data.indexOf(0);
      if (nul < 1 || nul > 79 || nul + 2 > len) fail('malformed iCCP chunk');
      if (data[nul + 1] !== 0) fail(`unknown iCCP compression method ${data[nul + 1]}`);
      inflatedLength(
        [data.subarray(nul + 2)],
        MAX_ICC_BYTES,
        () => new ImageInputError(name, `PNG's embedded ICC profile (iCCP) inflates beyond ${MAX_ICC_BYTES / 1024 / 1024} MB (decompression bomb?)`),
        (why) => new ImageInputError(name, `corrupt or truncated PNG (iCCP profile does not inflate: ${why})`),
      );
    } else if (type === 'IEND') {
      sawIend = true;
      break;
    }
    lastType = type;
    p += 12 + len;
  }
  if (!sawIend) fail('no IEND chunk: the file is truncated');
  const h = header!;
  if (h.colorType === 3 && !hasChunk(b, 'PLTE')) fail('palette image without a PLTE chunk');
  if (!idat.length) fail('no IDAT chunk (no image data)');
  const expected = pngDataSize(h.width, h.height, h.channels, h.depth, h.interlaced);
  const size = `${h.width}×${h.height}`;
  if (idatBytes * MAX_DEFLATE_RATIO + 1024 < expected) {
    throw new ImageInputError(name, `PNG image data (${idatBytes} bytes) is too small to hold its declared ${size} size (truncated, or a forged header)`);
  }
  const got = inflatedLength(
    idat,
    expected,
    () => new ImageInputError(name, `PNG data inflates beyond its declared ${size} size (decompression bomb?)`),
    (why) => new ImageInputError(name, `corrupt or truncated PNG (image data does not inflate: ${why})`),
  );
  if (got < expected) {
    throw new ImageInputError(name, `PNG image data is shorter than its declared ${size} size (${got} of ${expected} bytes; truncated?)`);
  }
  return h;
}

function hasChunk(b: Uint8Array, want: string): boolean {
  let p = 8;
  while (p + 12 <= b.length) {
    const len = u32(b, p);
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    if (type === want) return true;
    if (type === 'IEND') return false;
    p += 12 + len;
  }
  return false;
}
