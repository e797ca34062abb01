/**
 * The classify and search CLIs on the tiny-random-clip fixture: JSON shape, exit codes, and
 * parity of the whole path (decode -> preprocess -> split models -> 100*cos) with the golden logits
 * computed by the reference from the same raw image files.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadImageTextModel as loadClip } from '../models';
import { agreement, GOLDEN_DIR, loadGolden, TINY_CLIP_DIR } from '../clip/testing/golden';
import { run as classify } from './classify';
import { embedInputs } from './image-inputs';
import { run as search } from './search';

const g = loadGolden();
const exec = promisify(execFile);
// Golden prompts usable as labels (no empty one, no 122-token one), with template "{}".
const LABEL_IDX = [0, 1, 2, 3, 5];
const LABELS = LABEL_IDX.map((i) => g.texts[i]);

/** Runs the real entry point, as a user would: stdout must be only the JSON. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: join(TINY_CLIP_DIR, '../../..'),
      maxBuffer: 1 << 24,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Calls a command in-process, capturing stdout and stderr. */
async function inProcess(cmd: (argv: string[]) => Promise<number>, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(console, 'error').mockImplementation((...a) => void (stderr += a.join(' ') + '\n'));
  try {
    const code = await cmd(argv);
    return { code, stdout, stderr };
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
}

describe('classify CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clip-cli-'));
    mkdirSync(join(dir, 'imgs/sub'), { recursive: true });
    copyFileSync(join(GOLDEN_DIR, 'chelsea.png'), join(dir, 'imgs/sub/chelsea.png'));
    copyFileSync(join(GOLDEN_DIR, 'astronaut.png'), join(dir, 'imgs/astronaut.png'));
    writeFileSync(join(dir, 'imgs/broken.png'), 'this is not a png');
    writeFileSync(join(dir, 'imgs/notes.txt'), 'ignored: not an image extension');
    mkdirSync(join(dir, 'empty'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('classifies the golden images: JSON only on stdout, logits = golden logits_per_image', async () => {
    const r = await cli(['classify', '--model', TINY_CLIP_DIR, '--labels', LABELS.join(','), '--template', '{}', '--json', GOLDEN_DIR]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { model: string; scoring: string; labels: string[]; results: { image: string; probs: number[]; logits: number[] }[] };
    expect(Object.keys(out)).toEqual(['model', 'scoring', 'labels', 'results']);
    expect(out.scoring).toBe('softmax');
    expect(out.model).toBe(TINY_CLIP_DIR);
    expect(out.labels).toEqual(LABELS);
    expect(out.results.map((x) => x.image)).toEqual(g.images.map((im) => join(GOLDEN_DIR, im)));
    let maxAbs = 0;
    out.results.forEach((res, i) => {
      expect(Object.keys(res)).toEqual(['image', 'probs', 'logits']);
      expect(res.probs.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
      LABEL_IDX.forEach((t, c) => (maxAbs = Math.max(maxAbs, Math.abs(res.logits[c] - g.logits_per_image[i][t]))));
    });
    // Preprocessing reproduces the reference pixels (src/clip/preprocess.ts), so the end-to-end
    // logits sit at onnxruntime's own distance from PyTorch (~2e-4).
    // Measured: 2.3e-4.
    expect(maxAbs).toBeLessThanOrEqual(1e-3);
  });

  it('raw image files embed like the reference (cosine >= 0.9999)', async () => {
    const m = await loadClip({ kind: 'path', path: TINY_CLIP_DIR }, { device: 'cpu' });
    const e = await embedInputs(m, g.images.map((im) => join(GOLDEN_DIR, im)), 4);
    await m.dispose();
    const flat = Float32Array.from(e.flatMap((x) => ('embedding' in x ? Array.from(x.embedding) : [])));
    expect(agreement(flat, g.image_embeds).minCosine).toBeGreaterThanOrEqual(0.9999);
  });

  it('exit 2 with per-input errors; files first, then folder images in sorted order', async () => {
    const missing = join(dir, 'missing.jpg');
    const r = await cli(['classify', '--model', TINY_CLIP_DIR, '--labels', 'cat,dog', '--json', join(dir, 'imgs'), missing, join(dir, 'empty')]);
    expect(r.code, r.stderr).toBe(2);
    const out = JSON.parse(r.stdout) as { results: Record<string, unknown>[] };
    expect(out.results.map((x) => x.image)).toEqual([
      missing,
      join(dir, 'imgs/astronaut.png'),
      join(dir, 'imgs/broken.png'),
      join(dir, 'imgs/sub/chelsea.png'),
      join(dir, 'empty'),
    ]);
    expect(out.results[0]).toEqual({ image: missing, error: 'file not found' });
    expect(Object.keys(out.results[1])).toEqual(['image', 'probs', 'logits']);
    expect(out.results[2]).toEqual({ image: join(dir, 'imgs/broken.png'), error: 'not an image: this file contains text' });
    expect(Object.keys(out.results[3])).toEqual(['image', 'probs', 'logits']);
    expect(out.results[4].error).toMatch(/no image files/);
  });

  it('exit 2 when every input failed', async () => {
    const r = await inProcess(classify, ['--model', TINY_CLIP_DIR, '--labels', 'cat', '--json', join(dir, 'imgs/broken.png')]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).results).toHaveLength(1);
  });

  it.each([
    [['--labels', 'cat,dog,cat'], /duplicate label "cat"/],
    [['--labels', 'cat,,dog'], /label 2 is empty/],
    [['--labels', ' '], /no labels given/],
    [['--labels', 'cat', '--dtype', 'int4'], /--dtype int4/],
    [['--labels', 'cat', '--template', 'a photo'], /no \{\} placeholder/],
    [['--labels', 'cat', '--ensemble', 'mnist'], /--ensemble mnist/],
    [['--labels', 'cat', '--frobnicate'], /unknown option --frobnicate/],
    [['--labels'], /--labels needs a value/],
    [[], /give --labels/],
  ])('exit 1 with a message for bad flags or labels: %j', async (extra, msg) => {
    const r = await inProcess(classify, ['--model', TINY_CLIP_DIR, join(GOLDEN_DIR, 'chelsea.png'), ...extra]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg);
  });

  it('exit 1 for an unreadable model folder', async () => {
    const r = await inProcess(classify, ['--model', dir, '--labels', 'cat', join(GOLDEN_DIR, 'chelsea.png')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot load model/);
  });

  it('--ensemble cifar10 uses its 10 classes and 18 templates; readable table without --json', async () => {
    const r = await inProcess(classify, ['--model', TINY_CLIP_DIR, '--ensemble', 'cifar10', join(GOLDEN_DIR, 'chelsea.png')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/chelsea\.png\s+\S+ \d+\.\d%/);
    expect(r.stdout).toMatch(/1 classified, 0 failed/);
  });
});

describe('classify CLI: odd names and odd images (issue 9)', () => {
  it('file names with quotes and angle brackets, a 16-bit PNG and a CMYK JPEG: valid JSON, exit 2 for the broken one', async () => {
    const { decode, encode } = await import('fast-png');
    const sharp = (await import('sharp')).default;
    const d = mkdtempSync(join(tmpdir(), 'clip-cli-odd-'));
    try {
      const src = readFileSync(join(GOLDEN_DIR, 'chelsea.png'));
      const png = decode(src);
      // 16-bit copy of the same pixels (v * 257): it must decode to exactly the 8-bit image
      const deep = encode({ width: png.width, height: png.height, channels: png.channels, depth: 16, data: Uint16Array.from(png.data, (v) => v * 257) });
      const cmyk = await sharp(src).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
      expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
      const names = {
        quoted: join(d, 'say "cheese" <b>&amp; \\ it\'s.png'),
        deep: join(d, '<deep> 16-bit.png'),
        cmyk: join(d, 'print "CMYK".jpg'),
        broken: join(d, 'x"><img src=x onerror=alert(1)>.png'),
      };
      writeFileSync(names.quoted, src);
      writeFileSync(names.deep, deep);
      writeFileSync(names.cmyk, cmyk);
      writeFileSync(names.broken, 'not a png');
      const r = await cli(['classify', '--model', TINY_CLIP_DIR, '--labels', LABELS.join(','), '--template', '{}', '--json', ...Object.values(names)]);
      expect(r.code, r.stderr).toBe(2);
      const out = JSON.parse(r.stdout) as { results: { image: string; logits?: number[]; error?: string }[] };
      expect(out.results.map((x) => x.image)).toEqual(Object.values(names));
      const [quoted, deepR, cmykR, broken] = out.results;
      expect(broken).toEqual({ image: names.broken, error: 'not an image: this file contains text' });
      expect(cmykR.error).toBeUndefined();
      for (const v of cmykR.logits!) expect(Number.isFinite(v)).toBe(true);
      // the 16-bit PNG and the 8-bit original give the same logits; both match the reference
      const ref = g.logits_per_image[g.images.indexOf('chelsea.png')];
      LABEL_IDX.forEach((t, c) => {
        expect(Math.abs(quoted.logits![c] - ref[t])).toBeLessThan(1e-3);
        expect(deepR.logits![c]).toBeCloseTo(quoted.logits![c], 5);
      });
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('search CLI', () => {
  it('ranks images by cosine to the query as typed, highest first', async () => {
    const files = g.images.map((im) => join(GOLDEN_DIR, im));
    const r = await inProcess(search, ['--model', TINY_CLIP_DIR, '--query', g.texts[2], '--json', ...files, join(GOLDEN_DIR, 'nope.png')]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { query: string; results: { image: string; score: number }[]; errors: unknown[] };
    expect(Object.keys(out)).toEqual(['query', 'results', 'errors']);
    expect(out.query).toBe('an astronaut');
    expect(out.errors).toEqual([{ image: join(GOLDEN_DIR, 'nope.png'), error: 'file not found' }]);
    // reference cosines: golden logits / logit_scale for text 2
    const expected = files
      .map((image, i) => ({ image, score: g.logits_per_image[i][2] / g.logit_scale }))
      .sort((a, b) => b.score - a.score);
    expect(out.results.map((x) => x.image)).toEqual(expected.map((x) => x.image));
    out.results.forEach((x, i) => expect(Math.abs(x.score - expected[i].score)).toBeLessThan(1e-5));
  });

  it('exit 1 without a query', async () => {
    const r = await inProcess(search, ['--model', TINY_CLIP_DIR, join(GOLDEN_DIR, 'chelsea.png')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing --query/);
  });
});
