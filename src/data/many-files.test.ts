/**
 * 10,000 files at once (issue 9): listing, content hashing (duplicates found by hash) and decoding
 * stay fast and memory stays bounded when the work goes in batches, as the CLI and the browser
 * worker do it (one batch read at a time, bytes dropped after use).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImageFiles } from './files';
import { decodeImageNode } from './decode-node';
import { sha256Hex } from '../runtime/content-hash';

const N = 10_000;
const DUPLICATES = 10;
let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'many-files-'));
  for (let d = 0; d < 10; d++) mkdirSync(join(root, `class-${d}`));
  for (let i = 0; i < N; i++) {
    // 8x8 images, distinct by the index in their first pixels; the last DUPLICATES repeat the first ones
    const k = i >= N - DUPLICATES ? i - (N - DUPLICATES) : i;
    const data = new Uint8Array(8 * 8 * 3).fill(k % 251);
    data[0] = k & 255;
    data[1] = (k >> 8) & 255;
    writeFileSync(join(root, `class-${i % 10}`, `img-${String(i).padStart(5, '0')}.png`), encode({ width: 8, height: 8, data, channels: 3 }));
  }
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('10,000 files at once', () => {
  it('are listed, hashed (duplicates found) and decoded in batches, in bounded time and memory', async () => {
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let peak = 0;
    const t0 = performance.now();
    const files = await listImageFiles([root]);
    const tList = performance.now() - t0;
    expect(files).toHaveLength(N);

    const byHash = new Map<string, string>();
    const dups: string[] = [];
    let pixels = 0;
    const batch = 64;
    for (let s = 0; s < files.length; s += batch) {
      const chunk = files.slice(s, s + batch);
      const bytes = await Promise.all(chunk.map((f) => readFile(f)));
      for (let i = 0; i < chunk.length; i++) {
        const b = new Uint8Array(bytes[i]);
        const h = await sha256Hex(b);
        if (byHash.has(h)) dups.push(chunk[i]);
        else byHash.set(h, chunk[i]);
        pixels += (await decodeImageNode(b, chunk[i])).width * 8;
      }
      if (s % 2048 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - heap0);
    }
    const tAll = performance.now() - t0;
    console.log(`10,000 files: listed in ${tList.toFixed(0)} ms, hashed + decoded in ${(tAll / 1000).toFixed(1)} s, heap growth peak ${(peak / 2 ** 20).toFixed(1)} MB`);
    expect(pixels).toBe(N * 64);
    expect(dups).toHaveLength(DUPLICATES);
    expect(byHash.size).toBe(N - DUPLICATES);
    expect(tList).toBeLessThan(5_000);
    expect(tAll).toBeLessThan(60_000);
    // Nothing but the hash map grows with the number of files: well under 1 KB per file.
    expect(peak).toBeLessThan(N * 4096);
  }, 120_000);
});
