/**
 * Two image encoders (src/pipeline/encoder-pool.ts): on a cross-origin isolated page with 2+ cores the
 * CLIP worker runs ONNX Runtime on half the threads, and a second encoder worker (the vision encoder
 * alone) joins after the load. A run of several batches uses both, and its logits are EXACTLY those of
 * a run on one encoder (`?encoders=1`): same build, same thread count, same batches. If the second
 * encoder dies mid-run, its batch runs again on the first and every image still gets its result.
 */
import type { Browser, Page } from '@playwright/test';
import { test, expect } from './test';
import { classify, dropFiles, golden, GOLDEN_CLASS_INDEXES, goldenFile, readCardLogits, setClasses, TINY_CLIP, waitModelReady } from './helpers';

const CLASSES = GOLDEN_CLASS_INDEXES.map((i) => golden.texts[i]);

/** A fresh context (no cached embeddings from another run) on the CLIP panel with extra query parameters. */
async function openFresh(browser: Browser, hostUrl: string, query: Record<string, string>): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await ctx.newPage();
  await page.goto(`./?${new URLSearchParams({ host: hostUrl, model: TINY_CLIP, device: 'wasm', ...query })}#/clip`);
  await waitModelReady(page);
  return page;
}

async function run(page: Page): Promise<{ logits: Record<string, Record<string, number>>; encoders: string | null; computed: string | null }> {
  await dropFiles(page, golden.images.map(goldenFile));
  await setClasses(page, CLASSES);
  expect(await classify(page)).toBe('done');
  const status = page.getByTestId('run-status');
  return { logits: await readCardLogits(page), encoders: await status.getAttribute('data-encoders'), computed: await status.getAttribute('data-computed') };
}

for (const dtype of ['q8', 'fp32']) {
  test(`${dtype}: a run on two encoders gives exactly the logits of one encoder`, async ({ browser, host }) => {
    test.setTimeout(180_000);
    const two = await openFresh(browser, host.url, { dtype });
    expect(await two.evaluate(() => navigator.hardwareConcurrency), 'this check needs 2 cores or more').toBeGreaterThanOrEqual(2);
    await expect.poll(() => two.evaluate(() => window.__lab.encoders()), { timeout: 60_000 }).toEqual(['main', 'second']);
    const pooled = await run(two);
    // 9 images in batches of 8: one batch on each encoder
    expect(pooled.encoders).toBe('2');
    expect(pooled.computed).toBe(String(golden.images.length));
    await two.context().close();

    const one = await openFresh(browser, host.url, { dtype, encoders: '1' });
    expect(await one.evaluate(() => window.__lab.encoders())).toEqual(['main']);
    const single = await run(one);
    expect(single.encoders).toBe('1');
    await one.context().close();
    expect(pooled.logits).toEqual(single.logits);
  });
}

test('the second encoder dies mid-run: its batch runs on the first, every image gets its result', async ({ browser, host }) => {
  test.setTimeout(120_000);
  const page = await openFresh(browser, host.url, { dtype: 'q8', crashEncoderAfter: '0' });
  await expect.poll(() => page.evaluate(() => window.__lab.encoders()), { timeout: 60_000 }).toEqual(['main', 'second']);
  const r = await run(page);
  expect(r.computed).toBe(String(golden.images.length));
  expect(Object.keys(r.logits).sort()).toEqual([...golden.images].sort());
  expect(r.encoders).toBe('1');
  expect(await page.evaluate(() => window.__lab.encoders())).toEqual(['main']);
  await expect(page.getByTestId('run-status')).not.toContainText(/fail|error/i);
  await page.context().close();
});
