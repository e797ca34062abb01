/**
 * The hostile-input corpus of issue 21, generated (not hand-picked bytes): decompression bombs,
 * forged headers, bad CRCs, truncated and overflowing data. Each entry says which reason the lab
 * must give. Small files are built in memory; the bombs are ~2 MB on disk but inflate to hundreds of
 * MB. Nothing here is committed: tests write the corpus into a temp folder.
 *
 *   npx tsx src/data/testdata/hostile/generate.ts <dir>     # writes the corpus (for manual runs)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encode as encodePng } from 'fast-png';
import { zlibSync } from 'fflate';
import omggif from 'omggif';
import sharp from 'sharp';
import { crc32 } from '../../png-guard';

export interface HostileFile {
  name: string;
  bytes: Uint8Array;
  /** what the decoder must say (matched against the ImageInputError reason) */
  reason: RegExp;
  why: string;
}

const u32be = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  out.set(u32be(data.length), 0);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  out.set(u32be(crc32(out, 4, 8 + data.length)), 8 + data.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(width: number, height: number, depth = 8, colorType = 2, interlace = 0): Uint8Array {
  return chunk('IHDR', new Uint8Array([...u32be(width), ...u32be(height), depth, colorType, 0, 0, interlace]));
}

export function png(width: number, height: number, idat: Uint8Array[], extra: Uint8Array[] = [], colorType = 2): Uint8Array {
  return concat([SIGNATURE, ihdr(width, height, 8, colorType), ...extra, ...idat.map((d) => chunk('IDAT', d)), chunk('IEND', new Uint8Array(0))]);
}

/**
 * A zlib stream of one literal 0 followed by `bytes - 1` more zeros as length-258/distance-1 matches
 * in a fixed-Huffman block (13 bits per 258 bytes): ~1.6 KB per inflated MB, built without ever
 * holding the inflated data.
 */
export function zeroBombZlib(bytes: number): Uint8Array {
  const matches = Math.floor((bytes - 1) / 258);
  const total = 1 + matches * 258;
  const out = new Uint8Array(2 + Math.ceil((3 + 8 + matches * 13 + 7) / 8) + 4 + 8);
  out[0] = 0x78;
  out[1] = 0x01;
  let pos = 2;
  let acc = 0;
  let n = 0;
  const bits = (v: number, count: number) => {
    // LSB-first
    acc |= v << n;
    n += count;
    while (n >= 8) {
      out[pos++] = acc & 255;
      acc >>>= 8;
      n -= 8;
    }
  };
  const huff = (code: number, len: number) => {
    // Huffman codes go MSB-first
    let r = 0;
    for (let i = 0; i < len; i++) r |= ((code >> i) & 1) << (len - 1 - i);
    bits(r, len);
  };
  bits(1, 1); // BFINAL
  bits(1, 2); // BTYPE = 01, fixed Huffman
  huff(0x30, 8); // literal 0
  for (let i = 0; i < matches; i++) {
    huff(0xc5, 8); // length symbol 285 = 258
    huff(0, 5); // distance code 0 = 1
  }
  huff(0, 7); // end of block
  if (n > 0) bits(0, 8 - n);
  const adlerB = total % 65521;
  out.set([(adlerB >>> 8) & 255, adlerB & 255, 0, 1], pos);
  return out.subarray(0, pos + 4);
}

function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 16;
  }
  return out;
}

function filteredRows(width: number, height: number, channels: number): Uint8Array {
  const px = noise(width * height * channels);
  const out = new Uint8Array(height * (1 + width * channels));
  for (let y = 0; y < height; y++) out.set(px.subarray(y * width * channels, (y + 1) * width * channels), y * (1 + width * channels) + 1);
  return out;
}

function bmpHeader(fileSize: number, dataOffset: number, hdrSize: number, width: number, height: number, bpp: number, compression: number, colors = 0): Uint8Array {
  const b = new Uint8Array(54);
  const v = new DataView(b.buffer);
  b[0] = 0x42;
  b[1] = 0x4d;
  v.setUint32(2, fileSize, true);
  v.setUint32(10, dataOffset, true);
  v.setUint32(14, hdrSize, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bpp, true);
  v.setUint32(30, compression, true);
  v.setUint32(46, colors, true);
  return b;
}

function gif(width: number, height: number): Uint8Array {
  const buf = new Uint8Array(width * height * 2 + 1024);
  const palette = Array.from({ length: 256 }, (_, i) => (i << 16) | ((255 - i) << 8) | ((i * 7) & 255));
  const w = new omggif.GifWriter(buf, width, height, { palette });
  w.addFrame(0, 0, width, height, Array.from(noise(width * height, 7)));
  return buf.slice(0, w.end());
}

/** The small hostile files (all but the two bombs), each with the reason the decoder must give. */
export async function smallHostileFiles(): Promise<HostileFile[]> {
  const files: HostileFile[] = [];
  const add = (name: string, bytes: Uint8Array, reason: RegExp, why: string) => files.push({ name, bytes, reason, why });

  const good = encodePng({ width: 16, height: 16, data: noise(16 * 16 * 3), channels: 3, depth: 8 });
  // PNG: bad CRC in IDAT (flip the CRC's last byte; the IDAT is the third chunk)
  {
    const b = good.slice();
    let p = 8;
    for (;;) {
      const len = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
      const type = String.fromCharCode(...b.subarray(p + 4, p + 8));
      if (type === 'IDAT') {
        b[p + 8 + len + 3] ^= 0xff;
        break;
      }
      p += 12 + len;
    }
    add('png-bad-crc.png', b, /bad CRC in chunk IDAT/, 'CRC checks on');
  }
  const rows = filteredRows(16, 16, 3);
  add('png-short-data.png', png(16, 16, [zlibSync(rows.subarray(0, rows.length - 17))]), /shorter than its declared 16×16 size/, 'decoded data shorter than declared');
  add('png-long-data.png', png(16, 16, [zlibSync(concat([rows, rows.subarray(0, 49)]))]), /inflates beyond its declared 16×16 size/, 'decoded data longer than declared');
  {
    const z = zlibSync(rows);
    add('png-truncated-zlib.png', png(16, 16, [z.subarray(0, z.length >> 1)]), /corrupt or truncated PNG|shorter than/, 'zlib stream cut short, IEND appended');
  }
  add('png-forged-10000.png', png(10000, 10000, [zlibSync(rows)], [], 0), /too small to hold its declared 10000×10000/, 'a 10000x10000 header over a few hundred bytes');
  add('png-huge-header.png', png(20000, 20000, [zlibSync(rows)]), /megapixel limit/, 'declared size over the pixel limit');
  add('png-no-iend.png', good.subarray(0, good.length - 12), /no IEND chunk|truncated/, 'truncated file');
  add('png-bad-first-chunk.png', concat([SIGNATURE, chunk('IDAT', zlibSync(rows)), ihdr(16, 16), chunk('IEND', new Uint8Array(0))]), /first chunk is IDAT/, 'IHDR must come first');

  // JPEG
  const px = noise(128 * 128 * 3, 3);
  const prog = new Uint8Array(await sharp(px, { raw: { width: 128, height: 128, channels: 3 } }).jpeg({ progressive: true, quality: 90 }).toBuffer());
  add('jpeg-progressive-cut.jpg', concat([prog.subarray(0, Math.floor(prog.length * 0.2)), new Uint8Array([0xff, 0xd9])]), /premature end|corrupt or undecodable JPEG/, 'progressive JPEG cut at 20% with EOI appended');
  const small = new Uint8Array(await sharp(noise(64 * 64 * 3, 5), { raw: { width: 64, height: 64, channels: 3 } }).jpeg({ quality: 50 }).toBuffer());
  {
    const b = small.slice();
    for (let p = 2; p + 9 < b.length; ) {
      if (b[p + 1] === 0xc0) {
        b.set([0x23, 0x28, 0x23, 0x28], p + 5); // 9000 x 9000
        break;
      }
      p += 2 + ((b[p + 2] << 8) | b[p + 3]);
    }
    add('jpeg-forged-9000.jpg', b, /declares 9000x9000, which needs at least \d+ bytes/, `a ${b.length}-byte JPEG claiming 9000x9000`);
  }
  add('jpeg-no-eoi.jpg', small.subarray(0, small.length >> 1), /truncated JPEG/, 'cut without an end marker');

  // WebP
  // A structured picture: its VP8L prefix codes are uneven, so corrupted bits decode to invalid
  // codes or run out (a noise picture's near-uniform codes would accept any bits as pixels).
  const pattern = new Uint8Array(64 * 64 * 3);
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) pattern.set([x * 4, y * 3, ((x >> 3) ^ (y >> 3)) & 1 ? 200 : 30], (y * 64 + x) * 3);
  const webpLossless = new Uint8Array(await sharp(pattern, { raw: { width: 64, height: 64, channels: 3 } }).webp({ lossless: true }).toBuffer());
  {
    const b = webpLossless.slice();
    for (let i = Math.floor(b.length * 0.3); i < b.length; i++) b[i] ^= 0x5a;
    add('webp-corrupt-lossless.webp', b, /corrupt or undecodable WEBP/, 'VP8L bytes corrupted');
  }
  const webpLossy = new Uint8Array(await sharp(noise(64 * 64 * 3, 11), { raw: { width: 64, height: 64, channels: 3 } }).webp({ quality: 80 }).toBuffer());
  {
    const b = webpLossy.slice(0, webpLossy.length >> 1);
    const v = new DataView(b.buffer);
    v.setUint32(4, b.length - 8, true);
    v.setUint32(16, b.length - 20, true);
    add('webp-truncated.webp', b, /corrupt or undecodable WEBP|truncated/, 'VP8 data cut in half, RIFF sizes patched to match');
  }

  // BMP
  {
    const palette = new Uint8Array(256 * 4).map((_, i) => i & 255);
    const rle = new Uint8Array([10, 1, 0, 0, 4, 2, 0, 1]); // a 10-pixel run in a 4-pixel row
    const off = 54 + palette.length;
    add('bmp-rle-overflow.bmp', concat([bmpHeader(off + rle.length, off, 40, 4, 2, 8, 1, 256), palette, rle]), /RLE8 run of 10 pixels at x=0 overflows row 0/, 'RLE run past the row end');
    const lit = new Uint8Array([0, 6, 1, 2, 3, 4, 5, 6, 0, 1]); // a 6-pixel literal in a 4-pixel row
    add('bmp-rle-literal-overflow.bmp', concat([bmpHeader(off + lit.length, off, 40, 4, 2, 8, 1, 256), palette, lit]), /literal of 6 pixels .* overflows row 0/, 'RLE literal past the row end');
    const cut = new Uint8Array([4, 1, 0, 0]); // one row, no end-of-bitmap
    add('bmp-rle-truncated.bmp', concat([bmpHeader(off + cut.length, off, 40, 4, 4, 8, 1, 256), palette, cut]), /no end-of-bitmap marker/, 'RLE data ends early');
  }
  {
    const h = bmpHeader(200, 54, 0xfffffff0, 4, 4, 24, 0);
    add('bmp-header-fffffff0.bmp', concat([h, noise(146)]), /header size 4294967280/, 'DIB header size 0xFFFFFFF0');
  }
  add('bmp-forged-size.bmp', concat([bmpHeader(154, 54, 40, 9000, 9000, 24, 0), noise(100)]), /truncated pixel data/, '9000x9000x24 header over 100 bytes');
  add('bmp-offset-outside.bmp', concat([bmpHeader(102, 1 << 30, 40, 4, 4, 24, 0), noise(48)]), /pixel data offset/, 'pixel data offset past the end');

  // GIF: keep the first LZW sub-block only
  {
    const g = gif(64, 64);
    let p = 13 + 3 * 256; // header + global palette
    while (g[p] !== 0x2c) p += g[p] === 0x21 ? 2 + subBlocksLength(g, p + 2) : 1;
    const start = p + 10 + 1; // image descriptor, LZW minimum code size
    const first = g[start];
    add('gif-truncated-lzw.gif', concat([g.subarray(0, start + 1 + first), new Uint8Array([0, 0x3b])]), /shorter than its declared 64x64 size/, 'LZW data cut after its first sub-block');
  }
  add('text-as.png', new TextEncoder().encode('hello, not an image\n'), /contains text/, 'text named .png');
  add('empty.png', new Uint8Array(0), /empty file/, '0 bytes');
  return files;
}

function subBlocksLength(b: Uint8Array, p: number): number {
  let n = 0;
  while (b[p + n] !== 0) n += b[p + n] + 1;
  return n + 1;
}

/** A 1x1 PNG whose IDAT inflates to `mb` megabytes (default 320). */
export function idatBomb(mb = 320): HostileFile {
  return {
    name: 'png-idat-bomb.png',
    bytes: png(1, 1, [zeroBombZlib(mb * 1024 * 1024)]),
    reason: /PNG data inflates beyond its declared 1×1 size \(decompression bomb\?\)/,
    why: `1x1 header, IDAT inflating to ${mb} MB`,
  };
}

/** A valid 1x1 PNG with an iCCP profile inflating to `mb` megabytes (default 256). */
export function iccpBomb(mb = 256): HostileFile {
  const profile = concat([new TextEncoder().encode('bomb'), new Uint8Array([0, 0]), zeroBombZlib(mb * 1024 * 1024)]);
  return {
    name: 'png-iccp-bomb.png',
    bytes: png(1, 1, [zlibSync(new Uint8Array([0, 10, 20, 30]))], [chunk('iCCP', profile)]),
    reason: /ICC profile \(iCCP\) inflates beyond 16 MB \(decompression bomb\?\)/,
    why: `iCCP inflating to ${mb} MB`,
  };
}

export async function allHostileFiles(): Promise<HostileFile[]> {
  return [idatBomb(), iccpBomb(), ...(await smallHostileFiles())];
}

/** Writes the corpus into `dir`; returns the entries. */
export async function writeHostileCorpus(dir: string): Promise<HostileFile[]> {
  mkdirSync(dir, { recursive: true });
  const files = await allHostileFiles();
  for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx src/data/testdata/hostile/generate.ts <dir>');
    process.exit(1);
  }
  const files = await writeHostileCorpus(dir);
  for (const f of files) console.log(`${f.name.padEnd(32)} ${String(f.bytes.length).padStart(9)} B  ${f.why}`);
}
