/**
 * Text and model inputs (issue 9): empty, duplicate and whitespace class names get messages;
 * the ImageNet preset (1,000 classes, two of them repeated names) runs; a prompt over 77 tokens is
 * cut and the user is told (and the logit still matches the reference, which cuts the same way);
 * emoji, CJK and right-to-left class names work; a model folder with a file missing or a wrong
 * config gets a message naming the problem.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { decode, encode } from 'fast-png';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './test';
import { classify, FIXTURES, golden, goldenFile, openClip, readCardLogits, setClasses, waitModelReady } from './helpers';

test('empty, duplicate and whitespace class names get messages', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await page.getByTestId('file-input').setInputFiles([{ ...goldenFile('chelsea.png'), mimeType: 'image/png' }]);
  const blocked = page.getByTestId('classify-blocked');

  await setClasses(page, ['', '   ', '']);
  await expect(blocked).toHaveText('Add at least one class name.');
  await expect(page.getByTestId('classify')).toBeDisabled();

  await setClasses(page, ['cat', 'dog', 'Cat']);
  await expect(blocked).toHaveText('Duplicate class name: Cat');
  await expect(page.getByTestId('classify')).toBeDisabled();

  await setClasses(page, ['  cat ', '', '   ', 'dog']);
  await expect(blocked).toBeHidden();
  await expect(page.getByTestId('class-notes')).toHaveText('2 empty line(s) ignored. Spaces around 1 class name(s) removed.');
  expect(await classify(page)).toBe('done');
  expect(Object.keys((await readCardLogits(page))['chelsea.png']).sort()).toEqual(['cat', 'dog']);
});

test('the ImageNet preset: 1,000 classes with repeated names run', async ({ page, host }) => {
  test.setTimeout(240_000);
  await openClip(page, host.url, { device: 'wasm', dtype: 'q8' });
  await waitModelReady(page);
  await page.getByTestId('file-input').setInputFiles([{ ...goldenFile('chelsea.png'), mimeType: 'image/png' }]);
  await page.getByTestId('preset').selectOption('imagenet');
  await expect(page.locator('label', { hasText: '(1000)' })).toBeVisible();
  await expect(page.getByTestId('classify-blocked')).toBeHidden();
  const t0 = Date.now();
  expect(await classify(page, 200_000)).toBe('done');
  console.log(`ImageNet preset (1000 classes x 80 templates) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const top = page.getByTestId('result-card').first().locator('li[data-class]');
  await expect(top).toHaveCount(5);
  for (const v of await top.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-logit'))))) expect(Number.isFinite(v)).toBe(true);
});

test('a prompt over 77 tokens is cut, the user is told, and the logit matches the reference', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await page.getByTestId('file-input').setInputFiles([{ ...goldenFile('chelsea.png'), mimeType: 'image/png' }]);
  const long = golden.texts[6];
  expect(long.split(' ').length).toBeGreaterThan(77);
  await setClasses(page, [golden.texts[0], long]);
  expect(await classify(page)).toBe('done');
  await expect(page.getByTestId('run-status')).toContainText('1 prompt(s) longer than 77 tokens were cut');
  const got = (await readCardLogits(page))['chelsea.png'][long];
  expect(Math.abs(got - golden.logits_per_image[golden.images.indexOf('chelsea.png')][6])).toBeLessThan(2e-3);
});

test('emoji, CJK and right-to-left class names work', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await page.getByTestId('file-input').setInputFiles([{ ...goldenFile('chelsea.png'), mimeType: 'image/png' }]);
  const classes = [golden.texts[5], '猫の写真', 'תמונה של חתול', 'صورة قطة', '🐱'];
  await setClasses(page, classes);
  expect(await classify(page)).toBe('done');
  const logits = (await readCardLogits(page))['chelsea.png'];
  expect(Object.keys(logits).sort()).toEqual([...classes].sort());
  // the emoji prompt of the reference set gives the reference logit (same tokens)
  expect(Math.abs(logits[golden.texts[5]] - golden.logits_per_image[golden.images.indexOf('chelsea.png')][5])).toBeLessThan(2e-3);
  // every script was tokenised to something of its own (no shared "unknown" embedding)
  expect(new Set(Object.values(logits).map((v) => v.toFixed(4))).size).toBe(classes.length);
  // and is shown as typed (RTL text in an element that sets its own direction)
  for (const c of classes) await expect(page.locator(`li[data-class="${c}"] .cls`).first()).toHaveText(c);
  expect(await page.locator('li[data-class="صورة قطة"] .cls').first().evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
});

test('a 16-bit PNG and a CMYK JPEG are classified; the 16-bit one like its 8-bit original', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  const src = goldenFile('chelsea.png').buffer;
  const png = decode(src);
  const deep = Buffer.from(encode({ width: png.width, height: png.height, channels: png.channels, depth: 16, data: Uint16Array.from(png.data, (v) => v * 257) }));
  const cmyk = await sharp(src).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
  expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
  await page.getByTestId('file-input').setInputFiles([
    { name: 'chelsea.png', mimeType: 'image/png', buffer: src },
    { name: 'chelsea-16bit.png', mimeType: 'image/png', buffer: deep },
    { name: 'chelsea-cmyk.jpg', mimeType: 'image/jpeg', buffer: cmyk },
  ]);
  await setClasses(page, [golden.texts[0], golden.texts[1]]);
  expect(await classify(page)).toBe('done');
  await expect(page.getByTestId('results-count')).toContainText('3 images classified, 0 could not be read');
  const l = await readCardLogits(page);
  for (const t of [golden.texts[0], golden.texts[1]]) {
    expect(l['chelsea-16bit.png'][t]).toBeCloseTo(l['chelsea.png'][t], 4);
    expect(Number.isFinite(l['chelsea-cmyk.jpg'][t])).toBe(true);
  }
});

test('a model folder with a file missing, or a wrong config, gets a message naming the problem', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'model-folder-'));
  const dir = join(root, 'my-clip');
  cpSync(join(FIXTURES, 'tiny-random-clip'), dir, { recursive: true, filter: (src) => !src.includes('golden') });
  try {
    await page.goto('./?device=wasm&dtype=fp32#/clip');
    await page.getByTestId('model-kind').selectOption('folder');
    const picker = page.locator('input[type="file"][webkitdirectory]').first();

    rmSync(join(dir, 'onnx', 'vision_model.onnx'));
    await picker.setInputFiles(dir);
    await page.getByTestId('load-model').click();
    await expect(page.getByTestId('model-error')).toContainText('cannot load model my-clip: the folder has no file onnx/vision_model.onnx', { timeout: 60_000 });

    copyFileSync(join(FIXTURES, 'tiny-random-clip', 'onnx', 'vision_model.onnx'), join(dir, 'onnx', 'vision_model.onnx'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 32 }));
    await picker.setInputFiles(dir);
    await page.getByTestId('load-model').click();
    await expect(page.getByTestId('model-error')).toContainText('config.json describes a model of type "bert", which the lab cannot load', { timeout: 60_000 });

    writeFileSync(join(dir, 'config.json'), '{ "model_type": "clip", ');
    await picker.setInputFiles(dir);
    await page.getByTestId('load-model').click();
    await expect(page.getByTestId('model-error')).toContainText('config.json is not valid JSON', { timeout: 60_000 });

    // the fixed folder loads
    copyFileSync(join(FIXTURES, 'tiny-random-clip', 'config.json'), join(dir, 'config.json'));
    await picker.setInputFiles(dir);
    await page.getByTestId('load-model').click();
    await waitModelReady(page);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
