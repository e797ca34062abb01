/**
 * `cli classify` with a SigLIP model (tiny-random-siglip): the same JSON as for CLIP with
 * "scoring": "sigmoid", each probability the sigmoid of its logit, logits = the PyTorch golden
 * logits_per_image computed from the same raw image files.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TINY_SIGLIP_DIR } from '../models/siglip/testing/golden';

const exec = promisify(execFile);
const GOLDEN = join(TINY_SIGLIP_DIR, 'golden');
const g = JSON.parse(readFileSync(join(GOLDEN, 'golden.json'), 'utf8')) as { texts: string[]; images: string[]; logits_per_image: number[][] };
// Golden texts usable as comma-separated labels (text 3 has a comma), the long one included.
const LABEL_IDX = [0, 1, 4, 5];

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: join(TINY_SIGLIP_DIR, '../../..'), maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('classify CLI with SigLIP', () => {
  it('prints scoring "sigmoid", probs = sigmoid(logits) to 1e-5, logits = PyTorch golden to 1e-3', async () => {
    const labels = LABEL_IDX.map((i) => g.texts[i]);
    const r = await cli(['classify', '--model', TINY_SIGLIP_DIR, '--labels', labels.join(','), '--template', '{}', '--json', GOLDEN]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { model: string; scoring: string; labels: string[]; results: { image: string; probs: number[]; logits: number[] }[] };
    expect(Object.keys(out)).toEqual(['model', 'scoring', 'labels', 'results']);
    expect(out.scoring).toBe('sigmoid');
    expect(out.results.map((x) => x.image)).toEqual(g.images.map((im) => join(GOLDEN, im)));
    let maxAbs = 0;
    out.results.forEach((res, i) => {
      res.probs.forEach((p, c) => expect(Math.abs(p - 1 / (1 + Math.exp(-res.logits[c])))).toBeLessThan(1e-5));
      LABEL_IDX.forEach((t, c) => (maxAbs = Math.max(maxAbs, Math.abs(res.logits[c] - g.logits_per_image[i][t]))));
    });
    expect(maxAbs).toBeLessThan(1e-3);
    // The sigmoid scores are independent: they do not sum to 1 (here every one is below 0.5).
    expect(Math.abs(out.results[0].probs.reduce((a, b) => a + b) - 1)).toBeGreaterThan(0.05);
    expect(r.stderr).toMatch(/longer than 64 tokens were cut/);
  });

  it('search ranks by the cosine, the same JSON as for CLIP', async () => {
    const r = await cli(['search', '--model', TINY_SIGLIP_DIR, '--query', g.texts[0], '--json', GOLDEN]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { query: string; results: { image: string; score: number }[]; errors: unknown[] };
    expect(out.results).toHaveLength(g.images.length);
    // cosine = (logit - bias) / scale from the golden logits: the ranking must agree
    const cos = g.images.map((im, i) => ({ image: join(GOLDEN, im), c: (g.logits_per_image[i][0] + 3.7) / 10 }));
    cos.sort((a, b) => b.c - a.c);
    expect(out.results.map((x) => x.image)).toEqual(cos.map((x) => x.image));
    out.results.forEach((x) => expect(Math.abs(x.score - cos.find((c) => c.image === x.image)!.c)).toBeLessThan(1e-4));
  });
});
