/**
 * Hardness panel (issue 7): images classified in the CLIP panel from a folder whose subfolders are
 * the labels; the ranking lists them easiest to hardest by AVH (checked against AVH computed from
 * the reference logits), suspected label errors are flagged, relabelled and excluded, the cleaned
 * list exports without the excluded image, and the linear-probe and self-training views run.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, classify, collectConsole, golden, openClip, screenshot, setClasses, waitModelReady } from './helpers';

const SCALE = Math.exp(4.6052);
const CLASS_IDX = [0, 1, 3]; // 'a photo of a cat', 'a photo of a dog', 'Le zèbre devant les autres zèbres'
const CLASSES = CLASS_IDX.map((i) => golden.texts[i]);
/** folder label per image: the three "dog" images are what the random model calls cats */
const LABEL_OF: Record<string, number> = {
  'astronaut.png': 0,
  'checker_300x200.png': 0,
  'chelsea.png': 0,
  'coffee.png': 0,
  'gradient_640x480.png': 0,
  'gray_320x240.png': 1,
  'photo_320x240.jpg': 1,
  'small_50x80.png': 1,
  'rgba_256x256.png': 2,
};

/** Reference AVH, prediction and confidence from the golden logits (float64). */
function reference(image: string) {
  const r = golden.images.indexOf(image);
  const logits = CLASS_IDX.map((t) => golden.logits_per_image[r][t]);
  const angles = logits.map((l) => Math.acos(Math.min(1, Math.max(-1, l / SCALE))));
  const y = LABEL_OF[image];
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const sum = e.reduce((a, b) => a + b, 0);
  const predicted = logits.indexOf(max);
  return { avh: angles[y] / angles.reduce((a, b) => a + b, 0), predicted, confidence: e[predicted] / sum, label: y };
}

function labelledFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'hardness-')), 'dataset');
  for (const [image, y] of Object.entries(LABEL_OF)) {
    const dir = join(root, CLASSES[y]);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(CLIP_GOLDEN_DIR, image), join(dir, image));
  }
  return root;
}

async function rows(page: Page): Promise<{ name: string; avh: number }[]> {
  return page.getByTestId('hard-row').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name')!, avh: Number(e.getAttribute('data-avh')) })));
}

test('ranks labelled images by AVH; a suspected label error is relabelled, then excluded', async ({ page, host }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  await page.setViewportSize({ width: 1360, height: 1000 });
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await page.getByTestId('folder-input').setInputFiles(labelledFolder());
  await expect(page.getByTestId('image-count')).toContainText('9');
  await setClasses(page, CLASSES, '{}');
  await classify(page);

  await page.getByTestId('tab-hardness').click();
  await expect(page.getByTestId('hard-data')).toContainText('9');
  await expect(page.getByTestId('hard-row')).toHaveCount(9);

  // Sorted easiest -> hardest, and each AVH equals the reference computed from the golden logits.
  const ranked = await rows(page);
  for (let i = 1; i < ranked.length; i++) expect(ranked[i].avh).toBeGreaterThanOrEqual(ranked[i - 1].avh);
  let worst = 0;
  for (const r of ranked) {
    const image = r.name.split('/').pop()!;
    worst = Math.max(worst, Math.abs(r.avh - reference(image).avh));
  }
  console.log(`max |AVH - reference| over 9 images (zero-shot, wasm fp32): ${worst.toExponential(2)}`);
  expect(worst, logs.join('\n')).toBeLessThan(1e-3);
  const expectedOrder = Object.keys(LABEL_OF).sort((a, b) => reference(a).avh - reference(b).avh);
  expect(ranked.map((r) => r.name.split('/').pop())).toEqual(expectedOrder);

  // Correlations are shown for the three confidence-style scores.
  await expect(page.getByTestId('hard-correlations').locator('[data-metric]')).toHaveCount(3);

  // Suspected label errors: exactly the images the reference flags at these thresholds.
  await page.getByTestId('hard-min-avh').fill('0.3');
  await page.getByTestId('hard-min-conf').fill('0.5');
  const expected = Object.keys(LABEL_OF).filter((im) => {
    const r = reference(im);
    return r.predicted !== r.label && r.avh >= 0.3 && r.confidence >= 0.5;
  });
  expect(expected.length).toBeGreaterThan(0);
  await expect(page.getByTestId('hard-suspect')).toHaveCount(expected.length);
  const suspects = await page.getByTestId('hard-suspect').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!.split('/').pop()));
  expect([...suspects].sort()).toEqual([...expected].sort());

  // One click relabels the first suspect to its predicted class: it leaves the list.
  const first = page.getByTestId('hard-suspect').first();
  const firstName = (await first.getAttribute('data-name'))!;
  await first.getByTestId('hard-relabel').click();
  await expect(page.getByTestId('hard-suspect')).toHaveCount(expected.length - 1);
  await expect(page.locator(`[data-testid="hard-fixed-item"][data-name="${firstName}"]`)).toHaveAttribute('data-status', 'relabelled');
  await expect(page.locator(`[data-testid="hard-row"][data-name="${firstName}"]`)).toContainText(CLASSES[0]);

  // Another one is excluded: it leaves the ranking and the cleaned export.
  const second = page.getByTestId('hard-suspect').first();
  const secondName = (await second.getAttribute('data-name'))!;
  await second.getByTestId('hard-exclude').click();
  await expect(page.getByTestId('hard-row')).toHaveCount(8);
  await expect(page.locator(`[data-testid="hard-fixed-item"][data-name="${secondName}"]`)).toHaveAttribute('data-status', 'excluded');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('hard-export-csv').click()]);
  const csv = readFileSync((await dl.path())!, 'utf8').trim().split('\n');
  expect(csv[0]).toBe('path,label,original_label,status,avh,confidence,entropy,margin,predicted');
  expect(csv).toHaveLength(1 + 8);
  expect(csv.some((l) => l.includes(secondName))).toBe(false);
  const relabelledLine = csv.find((l) => l.startsWith(firstName))!;
  expect(relabelledLine).toContain(`,${CLASSES[0]},${CLASSES[1]},relabelled,`);
  const [cur] = await Promise.all([page.waitForEvent('download'), page.getByTestId('hard-export-curriculum').click()]);
  const curriculum = JSON.parse(readFileSync((await cur.path())!, 'utf8'));
  expect(curriculum.images).toHaveLength(8);
  for (let i = 1; i < 8; i++) expect(curriculum.images[i].avh).toBeGreaterThanOrEqual(curriculum.images[i - 1].avh);

  // Human scores (CSV, matched by file name): rank correlations with AVH and confidence.
  const humanCsv = Object.keys(LABEL_OF).map((im, i) => `${im},${(i + 1) / 10}`).join('\n') + '\nbroken line\n';
  await page.getByTestId('hard-human-input').setInputFiles({ name: 'human.csv', mimeType: 'text/csv', buffer: Buffer.from(humanCsv) });
  await expect(page.getByTestId('hard-human-result')).toHaveAttribute('data-n', '8');

  // Class vectors from a linear probe on the cached embeddings; then the self-training comparison.
  await page.getByTestId('hard-source').selectOption('probe');
  await expect(page.getByTestId('hard-row')).toHaveCount(8);
  await expect(page.getByTestId('hard-error')).toHaveCount(0);
  await page.getByTestId('hard-selftrain').click();
  await expect(page.getByTestId('hard-selftrain-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('hard-selftrain-result').locator('tbody tr')).toHaveCount(10);
  console.log(`self-training: ${await page.getByTestId('hard-selftrain-result').locator('p').first().innerText()}`);
  await page.getByTestId('hard-source').selectOption('zeroshot');
  await expect(page.getByTestId('hard-row')).toHaveCount(8);
  await screenshot(page, 'hardness.png');
});
