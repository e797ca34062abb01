/**
 * Browser preprocessing parity: window.__lab.preprocess (the worker's real decode + preprocess)
 * against the reference pixel values (HF load_image + PIL CLIPImageProcessor / ViTImageProcessor):
 * bit-exact on every golden, JPEG included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './test';
import { FIXTURES } from './helpers';

interface Case {
  dir: string;
  image: string;
  kind: 'clip' | 'clipseg';
}

const cases: Case[] = [];
for (const [dir, kind] of [
  ['tiny-random-clip/golden', 'clip'],
  ['preprocess-golden', 'clip'],
  ['tiny-random-clipseg/golden', 'clipseg'],
] as const) {
  for (const f of readdirSync(join(FIXTURES, dir))) {
    if (f.endsWith('.pixel_values.f32')) cases.push({ dir, image: f.replace('.pixel_values.f32', ''), kind });
  }
}

test('every golden image preprocesses in the browser like the reference', async ({ page }) => {
  expect(cases.length).toBeGreaterThanOrEqual(18);
  await page.goto('./');
  const report: string[] = [];
  for (const c of cases) {
    const bytes = readFileSync(join(FIXTURES, c.dir, c.image)).toString('base64');
    const ref = readFileSync(join(FIXTURES, c.dir, `${c.image}.pixel_values.f32`)).toString('base64');
    const r = await page.evaluate(
      async ({ bytes, ref, name, kind }) => {
        const dec = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        const refBytes = dec(ref);
        const want = new Float32Array(refBytes.buffer, refBytes.byteOffset, refBytes.byteLength / 4);
        const got = await window.__lab.preprocess(dec(bytes), name, kind);
        let sum = 0;
        let max = 0;
        for (let i = 0; i < want.length; i++) {
          const d = Math.abs(got[i] - want[i]);
          sum += d;
          if (d > max) max = d;
        }
        return { len: got.length, want: want.length, mae: sum / want.length, max };
      },
      { bytes, ref, name: c.image, kind: c.kind },
    );
    report.push(`${c.kind} ${c.image}: mae ${r.mae.toExponential(2)} max ${r.max.toExponential(2)}`);
    expect(r.len, c.image).toBe(r.want);
    // Exact, to the last pixel, as the docs say. Lossless formats decode in TypeScript (the same code as
    // in Node). JPEG goes through Chromium's decoder (createImageBitmap, libjpeg-turbo like PIL's):
    // measured max 0 on all three golden JPEGs in Debian's Chromium, so JPEG is held to 0 as well. A
    // Chromium whose JPEG decoder differs would show here: measure it and write the figure beside a bar.
    expect(r.max, c.image).toBe(0);
  }
  console.log(report.join('\n'));
});

test('a non-image is refused with a message naming the file', async ({ page }) => {
  await page.goto('./');
  const msg = await page.evaluate(async () => {
    try {
      await window.__lab.preprocess(new TextEncoder().encode('hello, not a picture'), 'notes.jpg', 'clip');
      return 'no error';
    } catch (e) {
      return String(e instanceof Error ? e.message : e);
    }
  });
  expect(msg).toContain('notes.jpg');
});
