/**
 * Bad and unusual inputs (issue 9): each gets an ImageInputError naming the file and the reason,
 * never a crash; odd-but-valid images decode to the right pixels.
 */
import { encode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImageNode } from './decode-node';
import { jpegLooksTruncated } from './decode-common';
import { declaredSize, MAX_IMAGE_PIXELS } from './dimensions';
import { ImageInputError } from './image';
import { sniffFormat } from './sniff';

const GOLD = 'e2e/fixtures/preprocess-golden';
const te = new TextEncoder();

async function reason(bytes: Uint8Array, name = 'x.jpg'): Promise<string> {
  try {
    await decodeImageNode(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(ImageInputError);
    expect((e as ImageInputError).file).toBe(name);
    expect((e as Error).message.startsWith(`${name}: `)).toBe(true);
    return (e as ImageInputError).reason;
  }
  throw new Error('expected an ImageInputError');
}

function u32be(v: number): number[] {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

describe('refused inputs', () => {
  it('zero-byte file', async () => expect(await reason(new Uint8Array(0))).toMatch(/empty file/));
  it('text file named .jpg', async () => expect(await reason(te.encode('just some notes\n'), 'notes.jpg')).toMatch(/not an image.*text/));
  it('SVG (never rendered)', async () => {
    const svg = te.encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(await reason(svg, 'a.svg')).toMatch(/unsupported format: SVG/);
  });
  it('HEIC', async () => {
    const heic = new Uint8Array([0, 0, 0, 24, ...te.encode('ftypheic'), 0, 0, 0, 0, ...te.encode('mif1heic'), 0, 0]);
    expect(await reason(heic, 'IMG_0001.HEIC')).toMatch(/unsupported format: HEIC/);
  });
  it('PDF, TIFF, random bytes', async () => {
    expect(await reason(te.encode('%PDF-1.7\n...'))).toMatch(/unsupported format: PDF/);
    expect(await reason(new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]))).toMatch(/unsupported format: TIFF/);
    expect(await reason(new Uint8Array([1, 2, 3, 0, 200, 17]))).toMatch(/not an image/);
  });
  it('truncated PNG', async () => {
    const png = readFileSync(`${GOLD}/palette_180x120.png`);
    expect(await reason(png.subarray(0, Math.floor(png.length / 2)), 'half.png')).toMatch(/corrupt or truncated PNG/);
    expect(await reason(png.subarray(0, 30), 'head.png')).toMatch(/corrupt or truncated PNG/);
  });
  it('truncated JPEG', async () => {
    const jpg = readFileSync(`${GOLD}/exif_orientation3_360x240.jpg`);
    expect(jpegLooksTruncated(jpg)).toBe(false);
    expect(await reason(jpg.subarray(0, jpg.length - 500), 'cut.jpg')).toMatch(/truncated JPEG/);
  });
  it('corrupt BMP and GIF', async () => {
    const bmp = readFileSync(`${GOLD}/bmp_210x140.bmp`);
    expect(await reason(bmp.subarray(0, 1000), 'cut.bmp')).toMatch(/BMP.*truncated/);
    expect(await reason(te.encode('GIF89a\x10\x00\x10\x00\x00\x00\x00garbage'), 'bad.gif')).toMatch(/GIF/);
  });
  it('decompression bombs are refused from the header, before decoding', async () => {
    // PNG header (signature + IHDR) claiming 100000 x 100000, no pixel data at all.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...te.encode('IHDR'),
      ...u32be(100000), ...u32be(100000), 8, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(declaredSize(png, 'png')).toEqual({ width: 100000, height: 100000 });
    const r = await reason(png, 'bomb.png');
    expect(r).toMatch(/100000x100000/);
    expect(r).toMatch(/megapixel limit/);
    // JPEG SOF0 claiming 65535 x 65535.
    const jpg = new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0xff, 0xff, 0xff, 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
    expect(await reason(jpg, 'bomb.jpg')).toMatch(/65535x65535/);
    // GIF 65535 x 65535 screen; WebP VP8X 16384 x 16384.
    expect(await reason(new Uint8Array([...te.encode('GIF89a'), 255, 255, 255, 255, 0, 0, 0, 0x3b]), 'bomb.gif')).toMatch(/65535x65535/);
    const webp = new Uint8Array(30);
    webp.set(te.encode('RIFF'), 0);
    webp.set(te.encode('WEBPVP8X'), 8);
    webp.set([0xff, 0x3f, 0, 0xff, 0x3f, 0], 24);
    expect(await reason(webp, 'bomb.webp')).toMatch(/16384x16384/);
    // A limit can be lowered per call.
    await expect(decodeImageNode(readFileSync(`${GOLD}/palette_180x120.png`), 'p.png', { maxPixels: 1000 })).rejects.toThrow(
      /180x120/,
    );
  });
  it('a BMP bomb', async () => {
    const b = new Uint8Array(54);
    b.set(te.encode('BM'), 0);
    const v = new DataView(b.buffer);
    v.setUint32(10, 54, true);
    v.setUint32(14, 40, true);
    v.setInt32(18, 200000, true);
    v.setInt32(22, -200000, true);
    v.setUint16(28, 24, true);
    expect(MAX_IMAGE_PIXELS).toBe(100_000_000);
    expect(await reason(b, 'bomb.bmp')).toMatch(/200000x200000/);
  });
});

describe('unusual but valid images', () => {
  it('1x1 PNG', async () => {
    const png = encode({ width: 1, height: 1, data: new Uint8Array([12, 34, 56]), channels: 3, depth: 8 });
    expect(sniffFormat(png)).toEqual({ ok: true, format: 'png' });
    expect(await decodeImageNode(png, 'one.png')).toEqual({ width: 1, height: 1, data: new Uint8Array([12, 34, 56]) });
  });
  it('16-bit RGBA and gray PNGs round v * 255 / 65535', async () => {
    const vals = [0, 128, 129, 385, 32767, 32896, 65535, 65407];
    const rgba = encode({ width: 2, height: 1, data: new Uint16Array(vals), channels: 4, depth: 16 });
    const img = await decodeImageNode(rgba, 'deep.png');
    expect(Array.from(img.data)).toEqual([0, 0, 1, 128, 128, 254].map((_, i) => Math.round(vals[[0, 1, 2, 4, 5, 6][i]] / 257)));
    expect(Array.from(img.data)).toEqual([0, 0, 1, 127, 128, 255]);
    const gray = encode({ width: 3, height: 1, data: new Uint16Array([257, 65535, 200]), channels: 1, depth: 16 });
    expect(Array.from((await decodeImageNode(gray, 'g16.png')).data)).toEqual([1, 1, 1, 255, 255, 255, 1, 1, 1]);
  });
  it('gray+alpha PNG: alpha dropped, not composited', async () => {
    const png = encode({ width: 2, height: 1, data: new Uint8Array([200, 0, 50, 128]), channels: 2, depth: 8 });
    expect(Array.from((await decodeImageNode(png, 'ga.png')).data)).toEqual([200, 200, 200, 50, 50, 50]);
  });
  it('palette PNG (4-bit) with tRNS', async () => {
    const png = encode({
      width: 3,
      height: 1,
      data: new Uint8Array([0x01, 0x20]), // indices 0, 1, 2 packed in 4 bits
      channels: 1,
      depth: 4,
      palette: [
        [10, 20, 30, 0],
        [40, 50, 60, 128],
        [70, 80, 90, 255],
      ],
    });
    expect(Array.from((await decodeImageNode(png, 'p.png')).data)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });
  it('RLE8 BMP', async () => {
    // 4x2, bottom-up: row0 = run of 4 x index1; row1 = absolute 3 pixels [2,1,2] then index 0 left over.
    const pal = [0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0]; // BGRX: 0 black, 1 blue, 2 red
    const rle = [4, 1, 0, 0, 0, 3, 2, 1, 2, 0, 0, 1];
    const off = 54 + pal.length;
    const b = new Uint8Array(off + rle.length);
    const v = new DataView(b.buffer);
    b.set(te.encode('BM'), 0);
    v.setUint32(2, b.length, true);
    v.setUint32(10, off, true);
    v.setUint32(14, 40, true);
    v.setInt32(18, 4, true);
    v.setInt32(22, 2, true);
    v.setUint16(26, 1, true);
    v.setUint16(28, 8, true);
    v.setUint32(30, 1, true);
    v.setUint32(46, 3, true);
    b.set(pal, 54);
    b.set(rle, off);
    const img = await decodeImageNode(b, 'rle.bmp');
    const R = [255, 0, 0];
    const B = [0, 0, 255];
    expect(Array.from(img.data)).toEqual([...R, ...B, ...R, 0, 0, 0, ...B, ...B, ...B, ...B]);
  });
  it('GIF transparent pixels become 0,0,0 (as Chromium shows them)', async () => {
    // 2x1 GIF89a, global palette [red, green], transparent index 1, pixels [0, 1].
    const gif = new Uint8Array([
      ...te.encode('GIF89a'), 2, 0, 1, 0, 0x80, 0, 0, 255, 0, 0, 0, 255, 0,
      0x21, 0xf9, 4, 1, 0, 0, 1, 0,
      0x2c, 0, 0, 0, 0, 2, 0, 1, 0, 0,
      2, 2, 0x44, 0x0a, 0, 0x3b,
    ]);
    const img = await decodeImageNode(gif, 't.gif');
    expect([img.width, img.height]).toEqual([2, 1]);
    expect(Array.from(img.data)).toEqual([255, 0, 0, 0, 0, 0]);
  });
});

describe('browser-safe modules', () => {
  it('decode-browser, the TS decoders and preprocess import nothing from Node', () => {
    const files = ['decode-browser', 'decode-common', 'png', 'bmp', 'gif', 'exif', 'sniff', 'dimensions', 'image'].map((f) => `src/data/${f}.ts`);
    files.push('src/clip/preprocess.ts', 'src/clip/preprocess-config.ts', 'src/clip/preprocess-resample.ts');
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      expect(src, f).not.toMatch(/from ['"](node:|fs|path|sharp|os)['"/]/);
      expect(src, f).not.toMatch(/\bBuffer\b|\bprocess\./);
    }
  });
});
