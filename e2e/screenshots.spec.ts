/**
 * Takes home.png and the CLIP panel with results (light, dark, French) through helpers.ts `screenshot`:
 * into test-results/screenshots/ under `npm test`, into docs/screenshots/ under `npm run screenshots`.
 * The other panels' screenshots show real content and are taken by their own specs:
 * explore.png (explore.spec), segment.png (segment.spec), bnonly.png (bnonly.spec), hardness.png (hardness.spec).
 */
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './test';
import { classify, dropFiles, golden, goldenFile, openClip, screenshot, setClasses, waitModelReady } from './helpers';

test('screenshot of the home page', async ({ page }) => {
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto('./#/home');
  await expect(page.getByTestId('result-hardness')).toBeVisible();
  await screenshot(page, 'home.png');
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
  await screenshot(page, 'clip.png');
  expect(await serious(), 'axe on the results view (light)').toEqual([]);
  await page.getByTestId('theme').click();
  await screenshot(page, 'clip-dark.png');
  expect(await serious(), 'axe on the results view (dark)').toEqual([]);
  await page.getByTestId('lang').selectOption('fr');
  await screenshot(page, 'clip-fr-dark.png');
});
