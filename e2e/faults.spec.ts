/**
 * Model host faults (issue 9): 500s, a host that never answers, connections dropped mid-download.
 * The lab retries with backoff, resumes dropped downloads with Range requests (the model then
 * gives the reference logits, so nothing was corrupted), and when it gives up it says which file,
 * which host and why, leaving no partial file in the browser's model cache.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { classify, FIXTURES, golden, goldenFile, openClip, readCardLogits, setClasses, TINY_CLIP, waitModelReady } from './helpers';

/** What transformers.js stored in the Cache API: file path → stored bytes. */
async function cachedModelFiles(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const out: Record<string, number> = {};
    if (!(await caches.has('transformers-cache'))) return out;
    const cache = await caches.open('transformers-cache');
    for (const req of await cache.keys()) {
      const m = /\/resolve\/main\/(.+)$/.exec(req.url);
      if (m) out[m[1]] = (await (await cache.match(req))!.arrayBuffer()).byteLength;
    }
    return out;
  });
}

/** The model's weights: what a loaded model must have in the cache. */
const WEIGHTS = ['onnx/text_model.onnx', 'onnx/vision_model.onnx'];

/**
 * Every cached file is whole (same size as the fixture), and the cache holds at least `mustHold`: a
 * non-empty list, so that an empty cache (nothing to compare) cannot pass.
 */
function expectWhole(files: Record<string, number>, mustHold: string[]): void {
  expect(mustHold.length, 'expectWhole needs the files the cache must hold').toBeGreaterThan(0);
  expect(Object.keys(files).sort(), 'cached files').toEqual(expect.arrayContaining(mustHold));
  for (const [f, size] of Object.entries(files)) expect(size, f).toBe(statSync(join(FIXTURES, 'tiny-random-clip', f)).size);
}

async function loadError(page: Page): Promise<string> {
  const err = page.getByTestId('model-error');
  await expect(err).toBeVisible({ timeout: 60_000 });
  return err.innerText();
}

async function classifyOne(page: Page): Promise<void> {
  await page.getByTestId('file-input').setInputFiles([{ ...goldenFile('chelsea.png'), mimeType: 'image/png' }]);
  await setClasses(page, [golden.texts[0], golden.texts[1]]);
  expect(await classify(page)).toBe('done');
  const got = (await readCardLogits(page))['chelsea.png'];
  const r = golden.images.indexOf('chelsea.png');
  for (const t of [0, 1]) expect(Math.abs(got[golden.texts[t]] - golden.logits_per_image[r][t])).toBeLessThan(2e-3);
}

test('a host that answers 500 once per file: retried, the model loads and classifies', async ({ page, host }) => {
  host.setMode('flaky');
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  const gets = host.requests.filter((r) => r.startsWith('GET ') && r.includes('/config.json'));
  expect(gets.length, host.requests.join('\n')).toBe(2); // the 500, then the retry
  await classifyOne(page);
  expectWhole(await cachedModelFiles(page), ['config.json', ...WEIGHTS]);
});

test('a download cut off halfway resumes with a Range request and the model is intact', async ({ page, host }) => {
  host.setMode('drop');
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  const ranged = host.requests.filter((r) => / bytes=\d+-$/.test(r));
  expect(ranged.map((r) => r.split(' ')[1].split('/').pop()).sort(), host.requests.join('\n')).toEqual(['text_model.onnx', 'vision_model.onnx']);
  await classifyOne(page);
  expectWhole(await cachedModelFiles(page), ['config.json', ...WEIGHTS]);
});

test('a host that keeps answering 500: a clear message after 4 tries, nothing cached', async ({ page, host }) => {
  host.setMode('500');
  const t0 = Date.now();
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  const msg = await loadError(page);
  const seconds = (Date.now() - t0) / 1000;
  expect(msg).toContain(`could not download config.json from ${new URL(host.url).origin} after 4 tries: the server answered 500 Internal Server Error`);
  expect(host.requests.filter((r) => r.includes('/config.json'))).toHaveLength(4);
  expect(seconds, 'backoff 0.5 + 1 + 2 s').toBeGreaterThan(3.4);
  expect(await cachedModelFiles(page)).toEqual({});
});

test('a host that never answers: timed out, retried, then a clear message', async ({ page, host }) => {
  host.setMode('hang');
  const q = new URLSearchParams({ host: host.url, model: TINY_CLIP, device: 'wasm', dtype: 'fp32', stall: '800' });
  await page.goto(`./?${q}#/clip`);
  const msg = await loadError(page);
  expect(msg).toContain('could not download config.json');
  expect(msg).toContain('after 4 tries: no answer within 0.8 s');
  expect(host.requests.filter((r) => r.includes('/config.json'))).toHaveLength(4);
  expect(await cachedModelFiles(page)).toEqual({});
});

test('every download of the weights is cut off: a clear message, and no partial weights in the cache', async ({ page, host }) => {
  host.setMode('drop-always');
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  const msg = await loadError(page);
  expect(msg).toMatch(/could not download onnx\/(text|vision)_model\.onnx from .* after 4 tries: the connection dropped after \d+ bytes/);
  const cached = await cachedModelFiles(page);
  // The small files that came whole stay cached (measured: these four); no weights, whole or partial.
  expect(Object.keys(cached).sort()).toEqual(['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json']);
  expectWhole(cached, ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json']);
  // and once the host is well again, the same page loads the model
  host.setMode('up');
  await page.reload();
  await waitModelReady(page);
  expectWhole(await cachedModelFiles(page), ['config.json', ...WEIGHTS]);
});
