import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from './preprocess';

describe('cli preprocess', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-preprocess-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = () => vi.spyOn(console, 'error').mockImplementation(() => {});

  it('writes float32 LE CHW identical to the golden file (CLIP and CLIPSeg)', async () => {
    quiet();
    const cases = [
      ['e2e/fixtures/tiny-random-clip', 'e2e/fixtures/preprocess-golden/exif_orientation8_300x200.jpg'],
      ['e2e/fixtures/tiny-random-clip', 'e2e/fixtures/preprocess-golden/odd_crop_offset_301x225.png'],
      ['e2e/fixtures/tiny-random-clipseg', 'e2e/fixtures/tiny-random-clipseg/golden/chelsea.png'],
    ];
    for (const [model, image] of cases) {
      const out = join(dir, 'out.f32');
      expect(await run(['--model', model, image, '--out', out])).toBe(0);
      expect(Buffer.compare(readFileSync(out), readFileSync(`${image}.pixel_values.f32`))).toBe(0);
    }
  });
  it('exits 2 with a message naming the file for a bad image, 1 for usage and config errors', async () => {
    const err = quiet();
    const bad = join(dir, 'notes.jpg');
    writeFileSync(bad, 'hello');
    expect(await run(['--model', 'e2e/fixtures/tiny-random-clip', bad, '--out', join(dir, 'x.f32')])).toBe(2);
    expect(err.mock.calls.flat().join(' ')).toMatch(/notes\.jpg: not an image/);
    expect(await run(['--model', 'e2e/fixtures/tiny-random-clip', join(dir, 'missing.png'), '--out', join(dir, 'x.f32')])).toBe(2);
    expect(await run(['--model', dir, bad, '--out', join(dir, 'x.f32')])).toBe(1);
    expect(await run(['--model', 'e2e/fixtures/tiny-random-clip'])).toBe(1);
  });
});
