import { test, expect } from './test';
import { classify, collectConsole, dropFiles, golden, GOLDEN_CLASS_INDEXES, goldenFile, openClip, readCardLogits, setClasses, waitModelReady } from './helpers';

const CLASSES = GOLDEN_CLASS_INDEXES.map((i) => golden.texts[i]);

/** max |page logit - reference logit| over every golden image and class */
function maxLogitError(got: Record<string, Record<string, number>>): number {
  let worst = 0;
  golden.images.forEach((img, r) => {
    GOLDEN_CLASS_INDEXES.forEach((t) => {
      const v = got[img]?.[golden.texts[t]];
      expect(Number.isFinite(v), `${img} / ${golden.texts[t]}: a finite logit on the page, got ${v}`).toBe(true);
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
  expect(err, logs.join("\n")).toBeLessThan(0.01);
});

test('WASM and WebGPU (SwiftShader) give the same logits', async ({ page, host }) => {
  test.setTimeout(240_000);
  const images = ['astronaut.png', 'chelsea.png', 'photo_320x240.jpg'];
  const run = async (device: 'wasm' | 'webgpu') => {
    await openClip(page, host.url, { device, dtype: 'fp32' });
    const b = await waitModelReady(page, 180_000);
    expect(b.device).toBe(device);
    await dropFiles(page, images.map(goldenFile));
    await setClasses(page, CLASSES);
    expect(await classify(page, 180_000)).toBe('done');
    return readCardLogits(page);
  };
  const wasm = await run('wasm');
  // A fresh page state for the second backend (results are saved per session: clear them).
  await page.getByRole('button', { name: /Remove all images/ }).click();
  const gpu = await run('webgpu');
  let worst = 0;
  for (const img of images) for (const c of CLASSES) worst = Math.max(worst, Math.abs(wasm[img][c] - gpu[img][c]));
  console.log(`max |wasm - webgpu| logit: ${worst.toExponential(2)}`);
  expect(worst).toBeLessThan(0.01);
});

test('a reload with the model host down still loads the model (cache) and classifies', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm' });
  await waitModelReady(page);
  await dropFiles(page, [goldenFile('chelsea.png')]);
  await setClasses(page, ['a cat', 'a dog']);
  await classify(page);
  await expect(page.getByTestId('result-card')).toHaveAttribute('data-status', 'ok');

  host.setMode('down');
  const before = host.requests.length;
  await page.reload();
  // The last model reloads by itself, from the browser's cache, and the last results come back.
  await waitModelReady(page);
  await expect(page.getByTestId('restored')).toBeVisible();
  await expect(page.getByTestId('result-card')).toHaveAttribute('data-status', 'ok');
  // New classes re-score the restored image from its cached embedding; a new file is classified too.
  await dropFiles(page, [goldenFile('coffee.png')]);
  await setClasses(page, ['a cup of coffee', 'a cat', 'a car']);
  expect(await classify(page)).toBe('done');
  await expect(page.getByTestId('results-count')).toContainText('2');
  const cards = page.getByTestId('result-card');
  await expect(cards).toHaveCount(2);
  for (const c of await cards.all()) await expect(c).toHaveAttribute('data-status', 'ok');
  expect(host.requests.length - before, 'no file came from the host after it went down').toBe(0);
});

test('a bad file gets a message naming it, the others are classified', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm' });
  await waitModelReady(page);
  await dropFiles(page, [
    { name: 'notes.jpg', buffer: Buffer.from('these are my notes, not a photo') },
    { name: 'empty.png', buffer: Buffer.alloc(0) },
    goldenFile('chelsea.png'),
  ]);
  await setClasses(page, ['a cat', 'a dog']);
  expect(await classify(page)).toBe('done');
  await expect(page.getByTestId('results-count')).toContainText('1 images classified, 2 could not be read');
  const errors = page.getByTestId('errors');
  await expect(errors).toContainText('notes.jpg:');
  await expect(errors).toContainText('empty.png:');
  await expect(page.locator('[data-name="notes.jpg"] [data-testid=item-error]')).toContainText(/^notes\.jpg: .+/);
  await expect(page.locator('[data-name="chelsea.png"]')).toHaveAttribute('data-status', 'ok');
  console.log('messages:', (await errors.locator('li').allInnerTexts()).join(' | '));
});
