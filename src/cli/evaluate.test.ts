/**
 * The evaluate CLI on the tiny-random-clip fixture with CIFAR-format archives built here:
 * - consistency with classify: top-1 (and per class) = share of classify's argmax matching the
 *   labels on the same images written out as PNG, same templates;
 * - the ensemble = the mean of normalised template embeddings, renormalised, against a by-hand
 *   computation from prompts embedded one at a time;
 * - JSON shape, the probe, exit codes and named errors.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encode } from 'fast-png';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CIFAR10_CLASSES, writeCifarBatch, writeTarGz } from '../data/cifar';
import { loadEnsemble } from '../clip/presets';
import { embedClasses, fillTemplate } from '../clip/zeroshot';
import { TINY_CLIP_DIR } from '../clip/testing/golden';
import { loadImageTextModel } from '../models';
import { mulberry32 } from '../math/rng';
import { embedImages } from '../pipeline/embed-images';
import { arrayItems, runEvaluation } from '../eval/run';
import { zeroShotMetrics } from '../eval/metrics';
import { run as classify } from './classify';
import { run as evaluate } from './evaluate';

const exec = promisify(execFile);
const N_TEST = 12;
const N_TRAIN = 30;

/**
 * Near-solid colours that vary per image (with a little noise): the random fixture gives such
 * images varied predictions, where pure noise all lands on one class (and would make the
 * consistency check trivial).
 */
function images(n: number, seed: number): { images: Uint8Array; labels: Uint8Array } {
  const r = mulberry32(seed);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const px = new Uint8Array(n * 32 * 32 * 3);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < 1024; p++)
      for (let c = 0; c < 3; c++) px[(i * 1024 + p) * 3 + c] = Math.min(255, ((i * 53 + c * 97 + seed * 29) % 240) + Math.floor(r() * 16));
  return { images: px, labels };
}

async function inProcess(cmd: (argv: string[]) => Promise<number>, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(console, 'error').mockImplementation((...a) => void (stderr += a.join(' ') + '\n'));
  try {
    return { code: await cmd(argv), stdout, stderr };
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: join(TINY_CLIP_DIR, '../../..'), maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface Out {
  model: string;
  dataset: string;
  split: string;
  n: number;
  top1: number;
  top5: number;
  per_class: { class: string; n: number; top1: number }[];
  templates: { set: string; ablation: { set: string; top1: number; delta: number }[]; per_template: { template: string; top1: number }[] };
  probe?: { C: number; top1: number; heldout_top1: number; shots: { shots: number | 'all'; n: number; top1: number }[] };
  errors?: { image: string; error: string }[];
}

describe('evaluate CLI', () => {
  let dir: string;
  let archive: string;
  const test = images(N_TEST, 1);
  const train = images(N_TRAIN, 2);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clip-eval-'));
    archive = join(dir, 'cifar-10-binary.tar.gz');
    writeFileSync(
      archive,
      writeTarGz([
        { name: 'cifar-10-batches-bin/data_batch_1.bin', data: writeCifarBatch(train.images, train.labels) },
        { name: 'cifar-10-batches-bin/test_batch.bin', data: writeCifarBatch(test.images, test.labels) },
      ]),
    );
    // The same first 10 test images as PNG files, named in order, for classify.
    mkdirSync(join(dir, 'png'));
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, 'png', `${String(i).padStart(2, '0')}.png`), encode({ width: 32, height: 32, channels: 3, depth: 8, data: test.images.subarray(i * 3072, (i + 1) * 3072) }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function classifyShare(args: string[]): Promise<{ share: number; perClass: number[] }> {
    const r = await inProcess(classify, ['--model', TINY_CLIP_DIR, ...args, '--json', join(dir, 'png')]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { results: { image: string; logits: number[] }[] };
    expect(out.results).toHaveLength(10);
    const predicted = out.results.map((res) => res.logits.indexOf(Math.max(...res.logits)));
    // guard: a check where every image gets the same class would prove little
    expect(new Set(predicted).size).toBeGreaterThan(2);
    const hit = predicted.map((p, i) => p === test.labels[i]);
    return { share: hit.filter(Boolean).length / 10, perClass: hit.map((h) => (h ? 1 : 0)) };
  }

  it('top-1 equals the share of classify argmax matching the labels, same images as PNG (single template and ensemble)', async () => {
    const single = await inProcess(evaluate, ['--model', TINY_CLIP_DIR, '--dataset', 'cifar10', '--data', archive, '--limit', '10', '--templates', 'single', '--json']);
    expect(single.code, single.stderr).toBe(0);
    const s = JSON.parse(single.stdout) as Out;
    const c = await classifyShare(['--labels', CIFAR10_CLASSES.join(','), '--template', 'a photo of a {}.']);
    expect(s.n).toBe(10);
    expect(s.top1).toBe(c.share);
    // one image per class in the first 10: per-class accuracy is that image's hit
    expect(s.per_class.map((p) => p.top1)).toEqual(c.perClass);

    const ens = await inProcess(evaluate, ['--model', TINY_CLIP_DIR, '--dataset', 'cifar10', '--data', archive, '--limit', '10', '--json']);
    const e = JSON.parse(ens.stdout) as Out;
    expect(e.templates.set).toBe('ensemble');
    expect(e.top1).toBe((await classifyShare(['--ensemble', 'cifar10'])).share);
    // the ablation's "single" row is the single run's figure
    expect(e.templates.ablation.find((a) => a.set === 'single')!.top1).toBe(s.top1);
    console.info(`tiny fixture, 10 images: single ${s.top1}, ensemble ${e.top1}`);
  });

  it('the ensemble is the mean of normalised template embeddings, renormalised (by hand, one prompt at a time)', async () => {
    const model = await loadImageTextModel({ kind: 'path', path: TINY_CLIP_DIR }, { dtype: 'fp32', device: 'cpu' });
    try {
      const { classes, templates } = await loadEnsemble('cifar10');
      const dim = model.dim;
      const hand = new Float32Array(classes.length * dim);
      for (let c = 0; c < classes.length; c++) {
        const sum = new Float64Array(dim);
        for (const t of templates) {
          const e = (await model.encodeTexts([fillTemplate(t, classes[c])])).embeds;
          const norm = Math.hypot(...e);
          for (let j = 0; j < dim; j++) sum[j] += e[j] / norm / templates.length;
        }
        const norm = Math.hypot(...sum);
        for (let j = 0; j < dim; j++) hand[c * dim + j] = sum[j] / norm;
      }
      // zeroshot's embedClasses (all templates in one call) against the hand computation.
      // Tolerance 1e-5: prompts padded to different lengths in a batch change float32 rounding only.
      const lib = await embedClasses(model, classes, templates);
      let maxAbs = 0;
      for (let k = 0; k < hand.length; k++) maxAbs = Math.max(maxAbs, Math.abs(hand[k] - lib.embeds[k]));
      expect(maxAbs).toBeLessThan(1e-5);

      // The evaluation's ensemble top-1 equals the top-1 of the hand-made class vectors.
      const { items, decode } = arrayItems(test.images, 32, 32, [...Array(N_TEST).keys()], (i) => `test[${i}]`);
      const x = new Float32Array(N_TEST * dim);
      await embedImages(items, { model, decode, onBatch: (rs) => rs.forEach((r) => r.ok && x.set(r.embedding, r.index * dim)) });
      const byHand = zeroShotMetrics(x, test.labels, hand, dim);
      const report = await runEvaluation({ model, modelName: 'tiny', dataset: 'cifar10', split: 'test', classes, ensemble: templates, choice: 'ensemble', test: { items, labels: test.labels }, decode });
      expect(report.top1).toBe(byHand.top1);
      expect(report.top5).toBe(byHand.top5);
      expect(report.confusion).toEqual(byHand.confusion);
      expect(report.templates.per_template).toHaveLength(templates.length + 1);
    } finally {
      await model.dispose();
    }
  });

  it('the real entry point: JSON only on stdout, the issue\'s keys, --probe with a shots curve', async () => {
    const r = await cli(['evaluate', '--model', TINY_CLIP_DIR, '--dataset', 'cifar10', '--data', archive, '--limit', '20', '--probe', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(Object.keys(out)).toEqual(['model', 'dataset', 'split', 'n', 'top1', 'top5', 'per_class', 'templates', 'probe']);
    expect([out.dataset, out.split, out.n]).toEqual(['cifar10', 'test', N_TEST]);
    for (const v of [out.top1, out.top5, out.probe!.top1]) expect(v >= 0 && v <= 1).toBe(true);
    expect(out.top5).toBeGreaterThanOrEqual(out.top1);
    expect(out.templates.ablation.map((a) => a.set)).toEqual(['name', 'single', 'ensemble']);
    expect(out.probe!.shots.map((s) => [s.shots, s.n])).toEqual([
      [1, 10],
      [2, 20],
      [4, 20],
      [8, 20],
      [16, 20],
      ['all', 20],
    ]);
  });

  it('--sample N --seed S takes N per class; bad flags and bad archives exit 1 naming the file', async () => {
    const s = await inProcess(evaluate, ['--model', TINY_CLIP_DIR, '--dataset', 'cifar10', '--data', archive, '--sample', '1', '--seed', '4', '--templates', 'name', '--json']);
    expect(s.code, s.stderr).toBe(0);
    expect((JSON.parse(s.stdout) as Out).per_class.map((p) => p.n)).toEqual(Array(10).fill(1));

    const bad = await inProcess(evaluate, ['--model', TINY_CLIP_DIR, '--dataset', 'mnist', '--data', archive]);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('--dataset mnist: expected one of cifar10, cifar100, stl10, folder')]);
    const both = await inProcess(evaluate, ['--model', TINY_CLIP_DIR, '--dataset', 'cifar10', '--data', archive, '--limit', '2', '--sample', '1']);
    expect(both.code).toBe(1);

    const cut = join(dir, 'cut.tar.gz');
    writeFileSync(cut, writeTarGz([{ name: 'test_batch.bin', data: writeCifarBatch(test.images, test.labels) }]).subarray(0, 5000));
    const r = await cli(['evaluate', '--model', TINY_CLIP_DIR, '--dataset', 'cifar10', '--data', cut, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cut\.tar\.gz: .*(truncated|gzip)/);
  });

  it('a folder tree: an unreadable image is counted and named (exit 2), the rest are scored', async () => {
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'cat'), { recursive: true });
    mkdirSync(join(root, 'dog'));
    writeFileSync(join(root, 'cat', 'a.png'), encode({ width: 32, height: 32, channels: 3, depth: 8, data: test.images.subarray(0, 3072) }));
    writeFileSync(join(root, 'dog', 'b.png'), encode({ width: 32, height: 32, channels: 3, depth: 8, data: test.images.subarray(3072, 6144) }));
    writeFileSync(join(root, 'dog', 'broken.png'), 'not a png');
    const r = await inProcess(evaluate, ['--model', TINY_CLIP_DIR, '--dataset', 'folder', '--data', root, '--templates', 'a photo of a {}.|itap of a {}.', '--json']);
    expect(r.code, r.stderr).toBe(2);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.n).toBe(2);
    expect(out.per_class.map((p) => p.class)).toEqual(['cat', 'dog']);
    expect(out.templates.set).toBe('user');
    expect(out.errors).toEqual([{ image: 'dog/broken.png', error: expect.stringMatching(/.+/) }]);
  });

  it('a zipped tree with train/ and test/ under one root: the probe fits on train/, scores test/', async () => {
    const png = (i: number) => encode({ width: 32, height: 32, channels: 3, depth: 8, data: train.images.subarray(i * 3072, (i + 1) * 3072) });
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 8; i++) entries[`set/${i < 6 ? 'train' : 'test'}/${i % 2 ? 'dog' : 'cat'}/${i}.png`] = png(i);
    const zip = join(dir, 'set.zip');
    writeFileSync(zip, zipSync(entries));
    const r = await inProcess(evaluate, ['--model', TINY_CLIP_DIR, '--dataset', 'folder', '--data', zip, '--probe', '--templates', 'single', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Out & { probe: { train_n: number } };
    expect([out.n, out.probe.train_n]).toEqual([2, 6]);
    expect(out.per_class.map((p) => [p.class, p.n])).toEqual([
      ['cat', 1],
      ['dog', 1],
    ]);
  });
});
