/**
 * The SigLIP family in the browser (tiny-random-siglip, served in the Hub layout): the model panel
 * names the family and its sigmoid scoring; zero-shot logits match the PyTorch golden with
 * probabilities = sigmoid(logit); WASM and WebGPU (SwiftShader) agree; the Explore search and the
 * hardness panel work on its embeddings, with cosines recovered through the family's scale and bias.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { classify, collectConsole, FIXTURES, openClip, readCardLogits, setClasses, waitModelReady } from './helpers';

const MODEL = 'fixtures/tiny-random-siglip';
const GOLDEN_DIR = join(FIXTURES, 'tiny-random-siglip', 'golden');
const g = JSON.parse(readFileSync(join(GOLDEN_DIR, 'golden.json'), 'utf8')) as {
  texts: string[];
  images: string[];
  logits_per_image: number[][];
  logit_scale: number;
  logit_bias: number;
};
const CLASS_IDX = [0, 1, 4]; // 'a photo of a cat', 'a photo of a dog', 'cat'
const CLASSES = CLASS_IDX.map((i) => g.texts[i]);
const LABEL_OF: Record<string, number> = { 'astronaut.png': 0, 'chelsea.png': 2, 'coffee.png': 1, 'small_50x80.png': 1 };
const cosOf = (logit: number) => (logit - g.logit_bias) / g.logit_scale;

function labelledFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'siglip-')), 'dataset');
  for (const [image, y] of Object.entries(LABEL_OF)) {
    mkdirSync(join(root, CLASSES[y]), { recursive: true });
    copyFileSync(join(GOLDEN_DIR, image), join(root, CLASSES[y], image));
  }
  return root;
}

async function openSiglip(page: Page, hostUrl: string, device: 'wasm' | 'webgpu') {
  await openClip(page, hostUrl, { device, dtype: 'fp32', model: MODEL });
  const b = await waitModelReady(page, 180_000);
  expect(b).toEqual({ device, dtype: 'fp32' });
  await expect(page.getByTestId('model-family')).toHaveAttribute('data-family', 'siglip');
  await expect(page.getByTestId('model-family')).toHaveAttribute('data-scoring', 'sigmoid');
}

test('SigLIP on WASM: sigmoid zero-shot scores match PyTorch; search and hardness use its embeddings', async ({ page, host }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  await openSiglip(page, host.url, 'wasm');
  await expect(page.getByTestId('model-family')).toContainText('SigLIP');
  await expect(page.getByTestId('model-family')).toContainText(`${g.logit_scale.toFixed(2)} × cosine − ${Math.abs(g.logit_bias).toFixed(2)}`);
  await page.getByTestId('folder-input').setInputFiles(labelledFolder());
  await expect(page.getByTestId('image-count')).toContainText('4');
  await setClasses(page, CLASSES);
  expect(await classify(page)).toBe('done');
  await expect(page.getByTestId('scoring-note')).toHaveAttribute('data-scoring', 'sigmoid');

  // Cards are named by their path in the dropped folder: key them by file name.
  const cards = Object.fromEntries(Object.entries(await readCardLogits(page)).map(([k, v]) => [k.split('/').pop()!, v]));
  let worst = 0;
  g.images.forEach((im, r) => CLASS_IDX.forEach((t) => (worst = Math.max(worst, Math.abs(cards[im][g.texts[t]] - g.logits_per_image[r][t])))));
  console.log(`SigLIP wasm fp32: max |logit - PyTorch golden| ${worst.toExponential(2)}`);
  expect(worst, logs.join('\n')).toBeLessThan(1e-3);
  const res = (await page.evaluate(() => window.__lab.results())) as { scoring: string; results: { probs: number[]; logits: number[] }[] };
  expect(res.scoring).toBe('sigmoid');
  for (const r of res.results) r.probs.forEach((p, k) => expect(Math.abs(p - 1 / (1 + Math.exp(-r.logits[k])))).toBeLessThan(1e-6));

  // Hardness: angles from the family's cosines (logit - bias) / scale, AVH as the reference.
  await page.getByTestId('tab-hardness').click();
  await expect(page.getByTestId('hard-row')).toHaveCount(4);
  const ranked = await page.getByTestId('hard-row').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name')!.split('/').pop()!, avh: Number(e.getAttribute('data-avh')) })));
  let avhErr = 0;
  for (const r of ranked) {
    const row = g.images.indexOf(r.name);
    const angles = CLASS_IDX.map((t) => Math.acos(cosOf(g.logits_per_image[row][t])));
    avhErr = Math.max(avhErr, Math.abs(r.avh - angles[LABEL_OF[r.name]] / angles.reduce((a, b) => a + b, 0)));
  }
  console.log(`SigLIP AVH: max |AVH - reference| ${avhErr.toExponential(2)}`);
  expect(avhErr).toBeLessThan(1e-3);

  // Explore search: cosines to the query, as the golden logits give them.
  await page.getByTestId('tab-explore').click();
  await expect(page.getByTestId('explore-status')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await page.getByTestId('explore-query').fill(g.texts[0]);
  const hits = page.getByTestId('search-hit');
  await expect(hits).toHaveCount(4);
  const got = await hits.evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name')!.split('/').pop()!, score: Number(e.getAttribute('data-score')) })));
  let searchErr = 0;
  for (const h of got) searchErr = Math.max(searchErr, Math.abs(h.score - cosOf(g.logits_per_image[g.images.indexOf(h.name)][0])));
  console.log(`SigLIP search: max |cosine - reference| ${searchErr.toExponential(2)}`);
  expect(searchErr).toBeLessThan(2e-3);
  expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('SigLIP gives the same scores on WASM and WebGPU (SwiftShader)', async ({ page, host }) => {
  test.setTimeout(300_000);
  const images = ['astronaut.png', 'chelsea.png'];
  const run = async (device: 'wasm' | 'webgpu') => {
    await openSiglip(page, host.url, device);
    await page.getByTestId('file-input').setInputFiles(images.map((name) => ({ name, mimeType: 'image/png', buffer: readFileSync(join(GOLDEN_DIR, name)) })));
    await setClasses(page, CLASSES);
    expect(await classify(page, 180_000)).toBe('done');
    return readCardLogits(page);
  };
  const wasm = await run('wasm');
  await page.getByRole('button', { name: /Remove all images/ }).click();
  const gpu = await run('webgpu');
  let worst = 0;
  for (const im of images) for (const c of CLASSES) worst = Math.max(worst, Math.abs(wasm[im][c] - gpu[im][c]));
  console.log(`SigLIP max |wasm - webgpu| logit: ${worst.toExponential(2)}`);
  expect(worst).toBeLessThan(1e-3);
});
