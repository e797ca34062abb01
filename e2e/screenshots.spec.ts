/**
 * Regenerates docs/screenshots/home.png and the CLIP panel with results (light, dark, French).
 * The other panels' screenshots show real content and are taken by their own specs:
 * explore.png (explore.spec), segment.png (segment.spec), bnonly.png (bnonly.spec), hardness.png (hardness.spec).
 */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './test';
import { classify, dropFiles, golden, goldenFile, openClip, setClasses, waitModelReady } from './helpers';

const OUT = 'docs/screenshots';
mkdirSync(OUT, { recursive: true });

test('screenshot of the home page', async ({ page }) => {
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto('./#/home');
  await expect(page.getByTestId('result-hardness')).toBeVisible();
  await page.screenshot({ path: `${OUT}/home.png`, fullPage: true });
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
  const serious = async () =>
    (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' ' + (n.any[0]?.message ?? '')).join(' | ')}`);
  await page.screenshot({ path: `${OUT}/clip.png`, fullPage: true });
  expect(await serious(), 'axe on the results view (light)').toEqual([]);
  await page.getByTestId('theme').click();
  await page.screenshot({ path: `${OUT}/clip-dark.png`, fullPage: true });
  expect(await serious(), 'axe on the results view (dark)').toEqual([]);
  await page.getByTestId('lang').selectOption('fr');
  await page.screenshot({ path: `${OUT}/clip-fr-dark.png`, fullPage: true });
});
