/** Regenerates docs/screenshots/*.png: every panel, plus the CLIP panel with results, light and dark. */
import { mkdirSync } from 'node:fs';
import { test, expect } from './test';
import { classify, dropFiles, golden, goldenFile, openClip, setClasses, waitModelReady } from './helpers';

const OUT = 'docs/screenshots';
mkdirSync(OUT, { recursive: true });

test('screenshots of every panel', async ({ page }) => {
  await page.setViewportSize({ width: 1360, height: 900 });
  for (const id of ['home', 'segment', 'bnonly', 'hardness']) {
    await page.goto(`./#/${id}`);
    await expect(page.locator('main h2').first()).toBeVisible();
    await page.screenshot({ path: `${OUT}/${id}.png`, fullPage: true });
  }
});

test('screenshot of the CLIP panel with results (light and dark)', async ({ page, host }) => {
  await page.setViewportSize({ width: 1360, height: 1000 });
  await openClip(page, host.url, { device: 'wasm' });
  await waitModelReady(page);
  // Folder names become labels, which turns on accuracy and the confusion matrix.
  const labelled = golden.images.map((n) => ({ ...goldenFile(n), name: n }));
  await dropFiles(page, labelled);
  await setClasses(page, ['an astronaut', 'a cat', 'a cup of coffee', 'a checkerboard', 'a gradient'], 'a photo of {}.');
  await classify(page);
  await page.screenshot({ path: `${OUT}/clip.png`, fullPage: true });
  await page.getByTestId('theme').click();
  await page.screenshot({ path: `${OUT}/clip-dark.png`, fullPage: true });
  await page.getByTestId('lang').selectOption('fr');
  await page.screenshot({ path: `${OUT}/clip-fr-dark.png`, fullPage: true });
});
