/**
 * Every worker's crash observed (issue 21, item 5): a worker killed mid-run (`window.__lab.killWorker`, which
 * terminates it and tells the stores as a crash would) ends the run with a message and keeps what was computed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { classify, CLIP_GOLDEN_DIR, collectConsole, dropFiles, FIXTURES, golden, goldenFile, openClip, setClasses, TINY_CLIP, waitModelReady } from './helpers';

const kill = (page: Page, name: string) => page.evaluate((n) => window.__lab.killWorker(n), name);

/**
 * Starts a job with a click and kills the worker in the same task: the job's message has been posted and can
 * never be answered (no race with a job that would finish first).
 */
const clickThenKill = (page: Page, testId: string, name: string) =>
  page.evaluate(
    ([id, n]) => {
      (document.querySelector(`[data-testid="${id}"]`) as HTMLElement).click();
      return window.__lab.killWorker(n);
    },
    [testId, name],
  );

/** A dataset folder with one sub-folder per label (golden images), as a user would pick it. */
function labelledFolder(labels: Record<string, string>): string {
  const root = join(mkdtempSync(join(tmpdir(), 'crash-')), 'dataset');
  for (const [image, label] of Object.entries(labels)) {
    mkdirSync(join(root, label), { recursive: true });
    copyFileSync(join(CLIP_GOLDEN_DIR, image), join(root, label, image));
  }
  return root;
}

function images(n: number): { name: string; buffer: Buffer; mimeType: string }[] {
  return Array.from({ length: n }, (_, k) => {
    const w = 24;
    const h = 20;
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) {
      data[i * 3] = (k * 37 + i) % 256;
      data[i * 3 + 1] = (k * 91) % 256;
      data[i * 3 + 2] = (i * 7 + k) % 256;
    }
    return { name: `crash-${String(k).padStart(2, '0')}.png`, buffer: Buffer.from(encode({ width: w, height: h, data, channels: 3 })), mimeType: 'image/png' };
  });
}

test('BatchNorm worker killed mid-run: the run is interrupted with the reason, keeps its points, and resumes', async ({ page }) => {
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  // 100 ms between steps: the kill lands mid-run, not on a run that a busy machine let finish between two polls
  // (a kill after the last step is covered by canResume's unit test: such a run resumes too)
  await page.goto('./?bnStepDelay=100#/bnonly');
  await page.getByTestId('bn-dataset').selectOption('fashion-mnist');
  await page.getByTestId('bn-depth').selectOption('8');
  await page.getByTestId('bn-width').fill('4');
  for (const m of ['full', 'bn', 'bn+output', 'output', 'random2']) await page.getByTestId(`bn-mode-${m}`).setChecked(m === 'bn');
  await page.getByTestId('bn-steps').fill('40');
  await page.getByTestId('bn-batch').fill('16');
  await page.getByTestId('bn-train-size').fill('128');
  await page.getByTestId('bn-test-size').fill('32');
  await page.getByTestId('bn-eval-every').fill('4');
  await page.getByTestId('bn-backend').selectOption('wasm');
  await page.getByTestId('bn-start').click();
  const row = page.getByTestId('bn-run').first();
  await expect.poll(async () => Number(await row.getAttribute('data-step')), { timeout: 120_000 }).toBeGreaterThanOrEqual(9);
  expect(await kill(page, 'BatchNorm')).toBe(true);
  await expect(row, logs.join('\n')).toHaveAttribute('data-status', 'interrupted');
  await expect(page.getByRole('alert').filter({ hasText: 'BatchNorm worker stopped unexpectedly' }).first()).toBeVisible();
  const stepAtKill = Number(await row.getAttribute('data-step'));
  expect(stepAtKill).toBeGreaterThanOrEqual(8);
  await expect(page.getByTestId('bn-chart-loss').locator('path[data-series="bn"]')).toHaveCount(1);
  // a fresh worker resumes from the last checkpoint and finishes
  await page.getByTestId('bn-resume').click();
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
});

test('CLIP worker killed mid-run: the run ends with the reason and keeps the results so far', async ({ page, host }) => {
  test.setTimeout(240_000);
  const q = new URLSearchParams({ host: host.url, model: TINY_CLIP, device: 'wasm', dtype: 'fp32', batchDelay: '400' });
  await page.goto(`./?${q}#/clip`);
  await waitModelReady(page);
  await dropFiles(page, images(60));
  await setClasses(page, ['red', 'green', 'blue']);
  await page.getByTestId('classify').click();
  const status = page.getByTestId('run-status');
  await expect.poll(async () => Number(await status.getAttribute('data-computed')), { timeout: 90_000 }).toBeGreaterThan(0);
  expect(await kill(page, 'CLIP')).toBe(true);
  await expect(status).toHaveAttribute('data-status', 'error');
  await expect(page.getByText('CLIP worker stopped unexpectedly').first()).toBeVisible();
  const r = (await page.evaluate(() => window.__lab.results())) as { results: { predicted?: string }[] } | null;
  const kept = (r?.results ?? []).filter((x) => x.predicted).length;
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(60);
});

test('explore worker killed mid-job: the job ends with the reason, the results shown stay, and "embed again" recovers', async ({ page, host }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await dropFiles(page, golden.images.map(goldenFile));
  await expect(page.getByTestId('image-count')).toContainText(String(golden.images.length));
  await page.getByTestId('tab-explore').click();
  const status = page.getByTestId('explore-status');
  await expect(status).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await page.getByTestId('explore-query').fill(golden.texts[0]);
  const hits = page.getByTestId('search-hit');
  await expect(hits).toHaveCount(golden.images.length);
  const before = await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));

  // the map is being built when the worker dies
  expect(await clickThenKill(page, 'build-map', 'explore')).toBe(true);
  await expect(status, logs.join('\n')).toHaveAttribute('data-status', 'error');
  await expect(page.getByTestId('explore-error')).toContainText('explore worker stopped unexpectedly');
  await expect(page.getByTestId('build-map')).toBeDisabled();
  // what was computed stays on screen
  expect(await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(before);

  // a fresh worker embeds again (from the cache), the results stay, and the map builds
  await page.getByTestId('explore-embed-again').click();
  await expect(status).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  expect(await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(before);
  await page.getByTestId('build-map').click();
  await expect(page.getByTestId('build-map')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('map-colour')).toBeVisible();
});

test('segmentation worker killed mid-run: the masks computed stay on screen, the run ends with the reason, a reload of the model runs again', async ({ page, host }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  const q = new URLSearchParams({ host: host.url, segModel: 'fixtures/tiny-random-clipseg', device: 'wasm', dtype: 'fp32' });
  await page.goto(`./?${q}#/segment`);
  await expect(page.getByTestId('seg-model-ready')).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('seg-file-input').setInputFiles({ name: 'chelsea.png', mimeType: 'image/png', buffer: readFileSync(join(FIXTURES, 'tiny-random-clipseg', 'golden', 'chelsea.png')) });
  await expect(page.getByTestId('seg-image-info')).toBeVisible();
  const prompt = (t: string) => page.locator(`[data-testid="seg-prompt"][data-prompt="${t}"]`);
  await page.getByTestId('seg-prompt-input').fill('a cat');
  await page.getByTestId('seg-prompt-input').press('Enter');
  await expect(prompt('a cat')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  const canvas = page.getByTestId('seg-overlay-canvas');
  await expect(canvas).toHaveAttribute('data-layers', '1');

  // a second prompt is being segmented when the worker dies
  await page.getByTestId('seg-prompt-input').fill('the red disc');
  expect(await clickThenKill(page, 'seg-add-prompt', 'segmentation')).toBe(true);
  await expect(page.getByTestId('seg-run-error'), logs.join('\n')).toContainText('segmentation worker stopped unexpectedly');
  await expect(page.getByTestId('seg-running')).toHaveCount(0);
  await expect(page.getByTestId('seg-model-error')).toContainText('segmentation worker stopped unexpectedly');
  // kept: the image, the first prompt's mask and the overlay drawn from it
  await expect(page.getByTestId('seg-image-info')).toBeVisible();
  await expect(prompt('a cat')).toHaveAttribute('data-done', 'true');
  await expect(prompt('the red disc')).toHaveAttribute('data-done', 'false');
  await expect(canvas).toHaveAttribute('data-layers', '1');
  const painted = await canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(0);
  await expect(page.getByTestId('seg-worker-lost')).toBeVisible();

  // loading the model again: a fresh worker gets the image again and both prompts run
  await page.getByTestId('seg-load-model').click();
  await expect(page.getByTestId('seg-model-ready')).toBeVisible({ timeout: 90_000 });
  await expect(prompt('a cat')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  await expect(prompt('the red disc')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  await expect(canvas).toHaveAttribute('data-layers', '2');
  await expect(page.getByTestId('seg-worker-lost')).toHaveCount(0);
  await expect(page.getByTestId('seg-run-error')).toHaveCount(0);
});

test('hardness worker killed mid-job: the job ends with the reason, the ranking stays, and it runs again', async ({ page, host }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  const classes = [golden.texts[0], golden.texts[1]];
  const labels = Object.fromEntries(golden.images.map((img, i) => [img, classes[i % 2]]));
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await page.getByTestId('folder-input').setInputFiles(labelledFolder(labels));
  await expect(page.getByTestId('image-count')).toContainText(String(golden.images.length));
  await setClasses(page, classes, '{}');
  await classify(page);
  await page.getByTestId('tab-hardness').click();
  const rows = page.getByTestId('hard-row');
  await expect(rows).toHaveCount(golden.images.length);
  const ranked = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));

  // self-training is running when the worker dies
  expect(await clickThenKill(page, 'hard-selftrain', 'hardness')).toBe(true);
  await expect(page.getByRole('alert').filter({ hasText: 'hardness worker stopped unexpectedly' }).first(), logs.join('\n')).toBeVisible();
  await expect(page.getByTestId('hard-selftrain')).toBeEnabled();
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(ranked);

  // a fresh worker runs it
  await page.getByTestId('hard-selftrain').click();
  await expect(page.getByTestId('hard-selftrain-result')).toBeVisible({ timeout: 60_000 });
});
