import { test, expect } from './test';
import { classify, collectConsole, dropFiles, golden, GOLDEN_CLASS_INDEXES, goldenFile, openClip, readCardLogits, setClasses, waitModelReady } from './helpers';

const CLASSES = GOLDEN_CLASS_INDEXES.map((i) => golden.texts[i]);

/** max |page logit - reference logit| over every golden image and class */
function maxLogitError(got: Record<string, Record<string, number>>): number {
  let worst = 0;
  golden.images.forEach((img, r) => {
    GOLDEN_CLASS_INDEXES.forEach((t) => {
      const v = got[img]?.[golden.texts[t]];
      expect(v, `${img} / ${golden.texts[t]}`).toBeDefined();
      worst = Math.max(worst, Math.abs(v - golden.logits_per_image[r][t]));
    });
  });
  return worst;
}

test('the built site is cross-origin isolated and exposes window.__lab', async ({ page }) => {
  await page.goto('./');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof window.__lab.preprocess)).toBe('function');
  await expect(page.getByTestId('isolation')).toHaveClass(/ok/);
});

test('classifies the golden images on WASM fp32 and matches the reference logits', async ({ page, host }) => {
  const logs = collectConsole(page);
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  const backend = await waitModelReady(page);
  expect(backend).toEqual({ device: 'wasm', dtype: 'fp32' });
  expect(host.requests.some((r) => r.includes('/fixtures/tiny-random-clip/resolve/main/onnx/vision_model.onnx'))).toBe(true);
  await dropFiles(page, golden.images.map(goldenFile));
  await setClasses(page, CLASSES);
  await classify(page);
  await expect(page.getByTestId('results-count')).toContainText(`${golden.images.length}`);
  const err = maxLogitError(await readCardLogits(page));
  console.log(`max |logit - golden| (wasm fp32, browser preprocessing): ${err.toFixed(5)}`);
  expect(err, logs.join('\n')).toBeLessThan(0.05);
});
