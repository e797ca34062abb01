/**
 * Issue 21: every file of the generated hostile corpus is refused with a named reason, by the
 * shared decoders (the browser worker runs the same PNG/BMP/GIF code and the same pre-decode
 * checks), and the bombs are refused without inflating them.
 */
import { inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeLossless, prepare } from './decode-common';
import { decodeImageNode } from './decode-node';
import { ImageInputError } from './image';
import { pngDataSize } from './png-guard';
import { iccpBomb, idatBomb, png, smallHostileFiles, zeroBombZlib } from './testdata/hostile/generate';

async function refusal(bytes: Uint8Array, name: string): Promise<string> {
  try {
    await decodeImageNode(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(ImageInputError);
    expect((e as ImageInputError).file).toBe(name);
    return (e as ImageInputError).reason;
  }
  throw new Error(`${name} was decoded as an image`);
}

describe('hostile corpus (generated)', async () => {
  const files = await smallHostileFiles();
  for (const f of files) {
    it(`${f.name}: ${f.why}`, async () => {
      const why = await refusal(f.bytes, f.name);
      console.log(`${f.name}: ${why}`);
      expect(why).toMatch(f.reason);
    });
  }

  it('the shared (browser) path refuses the lossless ones too, before any platform decoder', () => {
    for (const f of files.filter((x) => /\.(png|bmp|gif)$/.test(x.name) && x.bytes.length > 100 && !/text|empty/.test(x.name))) {
      let why = '';
      try {
        const p = prepare(f.bytes, f.name);
        decodeLossless(f.bytes, f.name, p.format);
      } catch (e) {
        why = (e as ImageInputError).reason;
      }
      expect(why, f.name).toMatch(f.reason);
    }
  });
});

describe('decompression bombs', () => {
  it('the generated bomb is a real one: its zlib stream inflates to exactly the asked size', () => {
    const z = zeroBombZlib(4 * 1024 * 1024);
    const out = inflateSync(z.subarray(2, z.length - 4));
    expect(out.length).toBe(1 + Math.floor((4 * 1024 * 1024 - 1) / 258) * 258);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(z.length).toBeLessThan(30_000); // ~1600:1
  });

  for (const make of [idatBomb, iccpBomb]) {
    it(`${make().name} is refused without inflating it (bounded memory, < 2 s)`, async () => {
      const f = make();
      const rss0 = process.memoryUsage().rss;
      const t0 = performance.now();
      const why = await refusal(f.bytes, f.name);
      const ms = performance.now() - t0;
      const grew = (process.memoryUsage().rss - rss0) / 2 ** 20;
      console.log(`${f.name} (${f.bytes.length} B, ${f.why}): "${why}" in ${ms.toFixed(0)} ms, RSS +${grew.toFixed(0)} MB`);
      expect(why).toMatch(f.reason);
      expect(ms).toBeLessThan(2000);
      expect(grew).toBeLessThan(100);
    });
  }

  it('exact IDAT budget: a PNG whose data is one byte over its size is refused, exactly its size is fine', async () => {
    const rows = new Uint8Array(pngDataSize(3, 2, 3, 8, false)); // filter 0, black
    const { zlibSync } = await import('fflate');
    expect((await decodeImageNode(png(3, 2, [zlibSync(rows)]), 'ok.png')).data.length).toBe(18);
    expect(await refusal(png(3, 2, [zlibSync(new Uint8Array(rows.length + 1))]), 'one-over.png')).toMatch(/inflates beyond its declared 3×2 size/);
  });

  it('Adam7 data size follows the seven passes', () => {
    expect(pngDataSize(1, 1, 3, 8, true)).toBe(4);
    expect(pngDataSize(8, 8, 1, 8, true)).toBe(1 * 2 + 1 * 2 + 1 * 3 + 2 * 3 + 2 * 5 + 4 * 5 + 4 * 9);
    expect(pngDataSize(16, 16, 1, 1, false)).toBe(16 * 3);
  });
});
