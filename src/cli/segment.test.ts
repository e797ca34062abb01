import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { coverage, probabilityMap, thresholdMask } from '../segment/masks';
import { parseSegmentArgs } from './segment';

const FIXTURE = 'e2e/fixtures/tiny-random-clipseg';
const GOLDEN = `${FIXTURE}/golden`;
const PROMPTS = ['a cat', 'the red disc']; // golden.json "prompts"
const TSX = resolve('node_modules/.bin/tsx');

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, ['src/cli/main.ts', 'segment', ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('parseSegmentArgs', () => {
  it('reads repeated prompts in order, defaults threshold 0.5 and fp32', () => {
    const a = parseSegmentArgs(['--model', 'm', '--prompt', 'a cat', 'img.png', '--prompt=the red disc', '--json']);
    expect(a).toEqual({ model: 'm', prompts: ['a cat', 'the red disc'], image: 'img.png', threshold: 0.5, dtype: 'fp32', json: true, logitsOut: undefined, maskOut: undefined });
  });

  it.each([
    [['--model', 'm', 'img.png'], /at least one --prompt/],
    [['--model', 'm', '--prompt', 'x'], /no image/],
    [['--model', 'm', '--prompt', 'x', 'a.png', 'b.png'], /one image expected/],
    [['--prompt', 'x', 'a.png'], /--model is required/],
    [['--model', 'm', '--prompt', 'x', 'a.png', '--threshold', '1.5'], /--threshold/],
    [['--model', 'm', '--prompt', 'x', 'a.png', '--dtype', 'int4'], /--dtype must be one of/],
    [['--model', 'm', '--prompt', 'x', 'a.png', '--bogus'], /unknown option/],
    [['--model', 'm', '--prompt'], /--prompt needs a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSegmentArgs(argv)).toThrow(message);
  });
});

describe('segment CLI end to end on the tiny fixture', () => {
  const out = mkdtempSync(join(tmpdir(), 'segment-cli-'));

  for (const image of ['chelsea.png', 'gradient_640x480.png']) {
    it(`${image}: JSON-only stdout, logits match golden from the raw image, mask PNG at image size`, async () => {
      const logitsOut = join(out, `${image}.f32`);
      const maskOut = join(out, `${image}.mask.png`);
      const r = await cli('--model', FIXTURE, '--prompt', PROMPTS[0], '--prompt', PROMPTS[1], `${GOLDEN}/${image}`,
        '--logits-out', logitsOut, '--mask-out', maskOut, '--json');
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout) as { image: string; width: number; height: number; prompts: { prompt: string; coverage: number }[] };

      const golden = f32(`${GOLDEN}/${image}.logits.f32`);
      const logits = f32(logitsOut);
      expect(logits.length).toBe(2 * 352 * 352);
      let err = 0;
      for (let i = 0; i < golden.length; i++) err = Math.max(err, Math.abs(logits[i] - golden[i]));
      console.info(`MEASURED cli ${image} fp32 logits max abs vs golden ${err.toExponential(3)}`);
      expect(err).toBeLessThanOrEqual(5e-3);

      const png = decode(readFileSync(maskOut));
      expect([png.width, png.height, png.channels, png.depth]).toEqual([summary.width, summary.height, 1, 8]);
      expect(png.data.every((v) => v === 0 || v === 255)).toBe(true);
      // The mask from the golden logits differs only where ORT's ~1e-3 error flips a pixel at the threshold.
      const ref = thresholdMask(probabilityMap(golden, 0, summary.width, summary.height), 0.5);
      let differ = 0;
      for (let i = 0; i < ref.length; i++) if (ref[i] !== png.data[i]) differ++;
      expect(differ / ref.length).toBeLessThan(1e-4);

      expect(summary.image).toBe(`${GOLDEN}/${image}`);
      expect(summary.prompts.map((p) => p.prompt)).toEqual(PROMPTS);
      expect(summary.prompts[0].coverage).toBe(coverage(png.data as Uint8Array));
      const second = thresholdMask(probabilityMap(golden, 1, summary.width, summary.height), 0.5);
      expect(summary.prompts[1].coverage).toBeCloseTo(coverage(second), 3);
    });
  }

  it('reports the image size after decoding (chelsea 451x300) and honours --threshold', async () => {
    const lo = JSON.parse((await cli('--model', FIXTURE, '--prompt', 'a cat', `${GOLDEN}/chelsea.png`, '--json', '--threshold', '0.01')).stdout);
    const hi = JSON.parse((await cli('--model', FIXTURE, '--prompt', 'a cat', `${GOLDEN}/chelsea.png`, '--json', '--threshold', '0.99')).stdout);
    expect([lo.width, lo.height]).toEqual([451, 300]);
    expect(lo.prompts[0].coverage).toBeGreaterThan(hi.prompts[0].coverage);
  });

  it('writes the mask at the size after EXIF orientation (orientation 8: stored 300x200, shown 200x300)', async () => {
    const maskOut = join(out, 'exif8.png');
    const r = await cli('--model', FIXTURE, '--prompt', 'a cat', 'e2e/fixtures/preprocess-golden/exif_orientation8_300x200.jpg', '--mask-out', maskOut, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect([JSON.parse(r.stdout).width, JSON.parse(r.stdout).height]).toEqual([200, 300]);
    const png = decode(readFileSync(maskOut));
    expect([png.width, png.height]).toEqual([200, 300]);
  });

  it('exits 2 when the image is missing or not an image, naming the file', async () => {
    const missing = await cli('--model', FIXTURE, '--prompt', 'x', join(out, 'nope.png'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.png');
    const notes = join(out, 'notes.png');
    writeFileSync(notes, 'just some text');
    const bad = await cli('--model', FIXTURE, '--prompt', 'x', notes, '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('notes.png');
    expect(bad.stdout).toBe('');
  });

  it('exits 1 on a bad model folder or bad arguments', async () => {
    const noModel = await cli('--model', join(out), '--prompt', 'x', `${GOLDEN}/chelsea.png`);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/not a CLIPSeg model folder, missing config.json/);
    const badArgs = await cli('--model', FIXTURE, '--prompt', 'x', `${GOLDEN}/chelsea.png`, '--dtype', 'int4');
    expect(badArgs.code).toBe(1);
    expect(badArgs.stderr).toMatch(/--dtype/);
  });
});
