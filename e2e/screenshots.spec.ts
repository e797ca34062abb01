/** Regenerates docs/screenshots/*.png: every panel, plus the CLIP panel with results, light and dark. */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './test';
import { classify, dropFiles, golden, goldenFile, openClip, setClasses, waitModelReady } from './helpers';

const OUT = 'docs/screenshots';
mkdirSync(OUT, { recursive: true });

test('screenshots of every panel', async ({ page }) => {
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto('./');
  const ids = await page.locator('nav.tabs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.replace('#/', '')));
  // The CLIP panel gets its own shot with results below.
  for (const id of ids.filter((i) => i !== 'clip')) {
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
