/**
 * Storage faults (issue 9): a full browser storage and a reload in the middle of a run.
 * - Quota: every IndexedDB / Cache API write fails with QuotaExceededError (in the page through an
 *   init script; in the CLIP worker, which init scripts do not reach, through `?simulateQuota=1`).
 *   Every image still gets its result, and the CLIP panel says storage is full.
 * - Reload mid-run: results so far are kept, the page offers to resume, and resuming computes only
 *   the images whose embeddings were not cached before the reload.
 */
import { encode } from 'fast-png';
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { dropFiles, setClasses, TINY_CLIP, waitModelReady } from './helpers';

const N = 40;

/** N distinct small PNGs (different colours, so different content hashes). */
function images(): { name: string; buffer: Buffer; mimeType: string }[] {
  return Array.from({ length: N }, (_, k) => {
    const w = 24 + (k % 5);
    const h = 20 + (k % 3);
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) {
      data[i * 3] = (k * 37 + i) % 256;
      data[i * 3 + 1] = (k * 91) % 256;
      data[i * 3 + 2] = (i * 7 + k) % 256;
    }
    return { name: `img-${String(k).padStart(2, '0')}.png`, buffer: Buffer.from(encode({ width: w, height: h, data, channels: 3 })), mimeType: 'image/png' };
  });
}

async function open(page: Page, hostUrl: string, extra: Record<string, string>): Promise<void> {
  const q = new URLSearchParams({ host: hostUrl, model: TINY_CLIP, device: 'wasm', dtype: 'fp32', ...extra });
  await page.goto(`./?${q}#/clip`);
  await waitModelReady(page);
}

/** Per image: predicted class or error, from the page's own export. */
async function exported(page: Page): Promise<{ image: string; predicted?: string; error?: string }[]> {
  const r = (await page.evaluate(() => window.__lab.results())) as { results: { image: string; predicted?: string; error?: string }[] } | null;
  return r?.results ?? [];
}

test('storage full: every image still gets a result, and the CLIP panel says embeddings are not saved', async ({ page, host }) => {
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('simulated: the quota has been exceeded', 'QuotaExceededError');
    };
  });
  await open(page, host.url, { simulateQuota: '1' });
  await dropFiles(page, images());
  await setClasses(page, ['red', 'green', 'blue']);
  await page.getByTestId('classify').click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const rows = await exported(page);
  expect(rows).toHaveLength(N);
  expect(rows.filter((r) => r.predicted).length).toBe(N);
  await expect(page.getByTestId('storage-full')).toBeVisible();
  await expect(page.getByTestId('storage-full')).toContainText('Browser storage is full');
  // the page's own save of the results was refused too: the UI says they will not survive a reload
  await expect(page.getByTestId('results-unsaved')).toHaveAttribute('data-reason', 'quota');
  await expect(page.getByTestId('results-unsaved')).toContainText('gone after a reload');
  // nothing was stored: the worker's cache is really refusing writes
  const stored = (await page.evaluate(() => window.__lab.storage())) as { embeddings: number };
  expect(stored.embeddings).toBe(0);
  expect(Number(await status.getAttribute('data-computed'))).toBe(N);
});

test('reload mid-run: results so far are kept, and Resume computes only the images not yet cached', async ({ page, host }) => {
  const files = images();
  await open(page, host.url, { batchDelay: '1500' });
  await dropFiles(page, files);
  await setClasses(page, ['red', 'green', 'blue']);
  await page.getByTestId('classify').click();
  const status = page.getByTestId('run-status');
  await expect.poll(async () => Number(await status.getAttribute('data-computed')), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(700); // the progress save follows the first results
  expect(await status.getAttribute('data-status')).toBe('running');
  await page.reload();
  await waitModelReady(page);

  const note = page.getByTestId('interrupted-run');
  await expect(note).toBeVisible();
  const doneBefore = Number(await note.getAttribute('data-done'));
  expect(doneBefore).toBeGreaterThan(0);
  expect(doneBefore).toBeLessThan(N);
  expect(Number(await note.getAttribute('data-total'))).toBe(N);
  // the files are gone with the reload: Resume waits for them
  await expect(page.getByTestId('resume-run')).toBeDisabled();
  await dropFiles(page, files);
  await expect(page.getByTestId('resume-run')).toBeEnabled();
  await page.getByTestId('resume-run').click();
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 90_000 });

  const rows = await exported(page);
  expect(rows).toHaveLength(N); // the dropped files filled in the restored items, no duplicates
  expect(rows.filter((r) => r.predicted).length).toBe(N);
  const computedAfter = Number(await status.getAttribute('data-computed'));
  console.log(`reload mid-run: ${doneBefore} of ${N} kept before the reload, ${computedAfter} embedded after it`);
  expect(computedAfter).toBeLessThanOrEqual(N - doneBefore);
  expect(computedAfter).toBeGreaterThan(0);
  await expect(page.getByTestId('storage-full')).toHaveCount(0);
  await expect(page.getByTestId('results-unsaved')).toHaveCount(0);
  await expect(note).toHaveCount(0);
});
