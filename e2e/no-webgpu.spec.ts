/**
 * A browser without WebGPU: the lab falls back to WASM q8 and says why; its workers then run ORT's
 * plain build, which on an AVX-VNNI CPU carries the lab's QGEMM (src/runtime/ort-qgemm-kernel.ts).
 * (Own file: it needs its own browser.)
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { test, expect } from './test';
import config from '../playwright.config';
import { classify, dropFiles, golden, GOLDEN_CLASS_INDEXES, goldenFile, openClip, readCardLogits, setClasses, TINY_CLIP, waitModelReady } from './helpers';

const args = (config.use?.launchOptions?.args ?? []).filter((a) => !/webgpu/i.test(a));
test.use({ launchOptions: { ...config.use?.launchOptions, args: [...args, '--disable-features=WebGPU'] } });

test('without a WebGPU adapter the lab runs on WASM and says why', async ({ page, host }) => {
  await openClip(page, host.url);
  const b = await waitModelReady(page);
  expect(b).toEqual({ device: 'wasm', dtype: 'q8' });
  await expect(page.getByTestId('model-fallback')).toContainText(/WebGPU not used: .+\. Running on WASM\./);
  console.log('fallback message:', await page.getByTestId('model-fallback').innerText());
});

test("q8 through the lab's QGEMM gives exactly the logits of ORT's own build", async ({ browser, host }) => {
  test.setTimeout(180_000);
  // x86 with AVX-VNNI: the relaxed dot product is exact on u8 (VPDPBUSD), so the build with the kernel must load
  const vnni = existsSync('/proc/cpuinfo') && /\bavx_vnni\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  const classes = GOLDEN_CLASS_INDEXES.map((i) => golden.texts[i]);
  const run = async (b: Browser, extra: Record<string, string>) => {
    // a fresh context each: no embedding cached by the other run
    const ctx = await b.newContext({ baseURL: test.info().project.use.baseURL });
    const page = await ctx.newPage();
    const binaries: string[] = [];
    page.on('request', (r) => /ort-wasm[^/]*\.wasm(\?|$)/.test(r.url()) && binaries.push(r.url()));
    await page.goto(`./?${new URLSearchParams({ host: host.url, model: TINY_CLIP, device: 'wasm', dtype: 'q8', ...extra })}#/clip`);
    expect(await waitModelReady(page)).toEqual({ device: 'wasm', dtype: 'q8' });
    await dropFiles(page, golden.images.map(goldenFile));
    await setClasses(page, classes);
    expect(await classify(page)).toBe('done');
    const logits = await readCardLogits(page);
    await ctx.close();
    return { logits, binaries };
  };
  const lab = await run(browser, {});
  const stock = await run(browser, { ortBuild: 'stock' });
  console.log(`AVX-VNNI: ${vnni}; lab: ${lab.binaries.join(', ')}; stock: ${stock.binaries.join(', ')}`);
  expect(lab.binaries.length).toBeGreaterThan(0);
  expect(lab.binaries.every((u) => /\.relaxed-dot\.wasm(\?|$)/.test(u))).toBe(vnni);
  expect(stock.binaries.every((u) => /ort-wasm-simd-threaded\.wasm(\?|$)/.test(u))).toBe(true);
  expect(Object.keys(lab.logits).length).toBe(golden.images.length);
  expect(lab.logits).toEqual(stock.logits);
});
