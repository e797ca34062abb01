/**
 * Every worker's crash observed (issue 21, item 5): a worker killed mid-run (`window.__lab.killWorker`, which
 * terminates it and tells the stores as a crash would) ends the run with a message and keeps what was computed.
 */
import { encode } from 'fast-png';
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { collectConsole, dropFiles, setClasses, TINY_CLIP, waitModelReady } from './helpers';

const kill = (page: Page, name: string) => page.evaluate((n) => window.__lab.killWorker(n), name);

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
  await page.goto('./#/bnonly');
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
