/**
 * Stress (issue 9): the WebGPU device lost mid-run (the run finishes on WASM and says why), and a
 * folder of 2,000 distinct images (the page never freezes, the DOM and the JS heap stay bounded,
 * every image is classified). 10,000 files are covered at unit level (src/data/many-files.test.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { classify, collectConsole, goldenFile, setClasses, TINY_CLIP, waitModelReady } from './helpers';

/** `n` distinct small PNGs (distinct content, so the embedding cache cannot skip any). */
function distinctImages(dir: string, n: number, size = 24): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(size * size * 3);
    for (let p = 0; p < data.length; p++) data[p] = (p * 7 + i * 13 + ((p * i) % 97)) & 255;
    const name = `img-${String(i).padStart(5, '0')}.png`;
    writeFileSync(join(dir, name), encode({ width: size, height: size, data, channels: 3 }));
    names.push(name);
  }
  return names;
}

async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longest: number; __longtaskSupported: boolean };
    w.__longest = 0;
    // Without 'longtask' entries the observer would see nothing and "longest 0 ms" would pass: recorded, asserted.
    w.__longtaskSupported = PerformanceObserver.supportedEntryTypes.includes('longtask');
    new PerformanceObserver((l) => l.getEntries().forEach((e) => (w.__longest = Math.max(w.__longest, e.duration)))).observe({ type: 'longtask', buffered: true });
  });
}

test('WebGPU device lost mid-run: the run finishes on WASM and the reason is shown', async ({ page, host }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  const root = mkdtempSync(join(tmpdir(), 'gpu-lost-'));
  const dir = join(root, 'imgs');
  distinctImages(dir, 20);
  try {
    // WebGPU batches hold 16 images: the device is destroyed before the second batch.
    const q = new URLSearchParams({ host: host.url, model: TINY_CLIP, device: 'webgpu', dtype: 'fp32', loseGpuAfter: '1' });
    await page.goto(`./?${q}#/clip`);
    const model = await waitModelReady(page, 120_000);
    expect(model.device).toBe('webgpu');
    await page.getByTestId('folder-input').setInputFiles(dir);
    await expect(page.getByTestId('image-count')).toContainText('20');
    await setClasses(page, ['noise', 'stripes']);
    expect(await classify(page, 200_000)).toBe('done');
    const errs = await page.getByTestId('item-error').allInnerTexts();
    expect(errs, errs.join('\n')).toEqual([]);
    await expect(page.getByTestId('results-count')).toContainText('20 images classified, 0 could not be read');
    await expect(page.getByTestId('run-status')).toContainText('WebGPU failed during the run');
    await expect(page.getByTestId('model-ready')).toHaveAttribute('data-device', 'wasm');
    await expect(page.getByTestId('model-fallback')).toContainText('WebGPU failed during the run');
    console.log(`device lost: ${(await page.getByTestId('model-fallback').innerText()).slice(0, 200)}`);
  } catch (e) {
    console.log(logs.slice(-30).join('\n'));
    throw e;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.describe('main-thread timing', () => {
  // The one retry in the suite, and its reason: this test times main-thread tasks and pings, which a busy
  // 2-core runner can stretch past the bars with no fault in the lab. On CI (failOnFlakyTests) a pass on
  // the retry still fails the run, reported as "flaky" rather than "failed", so a real freeze cannot hide.
  test.describe.configure({ retries: 1 });

  test('2,000 distinct images at once: no freeze, bounded DOM and heap, all classified', async ({ page, host }) => {
    test.setTimeout(400_000);
    const root = mkdtempSync(join(tmpdir(), 'many-'));
    const dir = join(root, 'many');
    const n = 2000;
    distinctImages(dir, n);
    try {
      await watchLongTasks(page);
      const q = new URLSearchParams({ host: host.url, model: TINY_CLIP, device: 'wasm', dtype: 'q8' });
      await page.goto(`./?${q}#/clip`);
      await waitModelReady(page);
      const t0 = Date.now();
      await page.getByTestId('folder-input').setInputFiles(dir);
      await expect(page.getByTestId('image-count')).toContainText(String(n));
      const tList = Date.now() - t0;
      await page.getByTestId('file-input').setInputFiles([{ ...goldenFile('chelsea.png'), mimeType: 'image/png' }]);
      await setClasses(page, ['noise', 'cat']);
      // Tasks from here on are the lab's. Handing 2,000 files to an <input> (Playwright's setInputFiles:
      // Chromium builds the File objects on the page's thread) took one 3.8 s task on this 2-core Xeon,
      // inside Chromium, before any lab code runs: it is logged, the bar applies to the lab's work.
      const listingLongest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
      await page.evaluate(() => ((window as unknown as { __longest: number }).__longest = 0));
      const t1 = Date.now();
      await page.getByTestId('classify').click();
      // While it runs, the page answers within a second.
      let worstPing = 0;
      for (let i = 0; i < 5; i++) {
        await page.waitForTimeout(1500);
        const p0 = Date.now();
        await page.evaluate(() => document.querySelectorAll('[data-testid="result-card"]').length);
        worstPing = Math.max(worstPing, Date.now() - p0);
      }
      await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 360_000 });
      const tRun = Date.now() - t1;
      await expect(page.getByTestId('results-count')).toContainText(`${n + 1} images classified, 0 could not be read`);
      const cards = await page.getByTestId('result-card').count();
      // Chromium's performance.memory; without it the heap bar cannot be checked, which fails the test.
      const heapBytes = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null);
      expect(heapBytes, 'performance.memory.usedJSHeapSize (Chromium) is needed to check the heap bar').not.toBeNull();
      expect(heapBytes).toBeGreaterThan(0);
      const heapMb = heapBytes! / 2 ** 20;
      expect(await page.evaluate(() => (window as unknown as { __longtaskSupported: boolean }).__longtaskSupported), 'PerformanceObserver longtask entries').toBe(true);
      const longest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
      console.log(`${n} images: listed in ${tList} ms (longest task while listing ${listingLongest.toFixed(0)} ms), classified in ${(tRun / 1000).toFixed(1)} s; cards in DOM ${cards}; page heap ${heapMb.toFixed(0)} MB; longest task ${longest.toFixed(0)} ms; worst ping ${worstPing} ms`);
      expect(cards).toBeLessThan(200);
      expect(worstPing).toBeLessThan(1500);
      expect(longest).toBeLessThan(2000);
      expect(heapMb).toBeLessThan(400);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
