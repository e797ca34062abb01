/** The French UI shows no English string of the catalogue (keyboard walks: keyboard.spec.ts). */
import { test, expect } from './test';
import { en } from '../app/i18n/en';
import { fr } from '../app/i18n/fr';

/** Catalogue strings that differ between English and French, long enough to be unambiguous. */
function englishOnly(): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown) => {
    if (typeof a === 'string') {
      const plain = a.split(/\{\w*\}/).sort((x, y) => y.length - x.length)[0].trim();
      if (a !== b && plain.length >= 14) out.push(plain);
    } else if (a && typeof a === 'object') for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)?.[k]);
  };
  walk(en, fr);
  // A name French quotes as it is (a paper's title) is not an untranslated string.
  const frAll: string[] = [];
  const collect = (a: unknown) => (typeof a === 'string' ? frAll.push(a) : a && typeof a === 'object' && Object.values(a).forEach(collect));
  collect(fr);
  return out.filter((s) => !frAll.some((f) => f.includes(s)));
}

test('switched to French, no panel shows an English string of the catalogue', async ({ page }) => {
  const strings = englishOnly();
  expect(strings.length).toBeGreaterThan(50);
  await page.goto('./');
  await page.getByTestId('lang').selectOption('en');
  // The detector works: in English the home page shows several of these strings.
  const enText = await page.locator('body').innerText();
  expect(strings.filter((s) => enText.includes(s)).length).toBeGreaterThan(3);
  await page.getByTestId('lang').selectOption('fr');
  const ids = await page.locator('nav.tabs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.replace('#/', '')));
  const found: string[] = [];
  for (const id of ids) {
    await page.goto(`./#/${id}`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    // the panel itself, not the "loading" placeholder
    await expect(page.locator('main h2').first()).toBeVisible();
    const text = await page.locator('body').innerText();
    for (const s of strings) if (text.includes(s)) found.push(`${id}: "${s}"`);
  }
  expect(found, found.join('\n')).toEqual([]);
});

test('in French, the panels with content (demos run) show no English string of the catalogue', async ({ page, host }) => {
  test.setTimeout(300_000);
  const strings = englishOnly();
  const q = new URLSearchParams({ host: host.url, model: 'fixtures/tiny-random-clip', segModel: 'fixtures/tiny-random-clipseg', device: 'wasm' });
  await page.goto(`./?${q}#/home`);
  await page.getByTestId('lang').selectOption('fr');
  const found: string[] = [];
  const check = async (where: string) => {
    const text = await page.locator('body').innerText();
    for (const s of strings) if (text.includes(s)) found.push(`${where}: "${s}"`);
  };
  // CLIP: results of the three sample photos.
  await page.getByTestId('demo-clip').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await check('clip');
  // Explore: embeddings ready, a search, the map.
  await page.getByTestId('tab-explore').click();
  await expect(page.getByTestId('explore-status')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await page.getByTestId('explore-query').fill('a cat');
  await expect(page.getByTestId('search-hit')).toHaveCount(3);
  await page.getByTestId('build-map').click();
  await expect(page.getByTestId('embed-map').locator('circle.x-dot')).toHaveCount(3, { timeout: 30_000 });
  await check('explore');
  // Segmentation: the cat photo with three prompts.
  await page.getByTestId('tab-home').click();
  await page.getByTestId('demo-segment').click();
  const prompts = page.getByTestId('seg-prompt');
  await expect(prompts).toHaveCount(3, { timeout: 30_000 });
  for (let i = 0; i < 3; i++) await expect(prompts.nth(i)).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  await check('segment');
  // Hardness: the bundled demo.
  await page.getByTestId('tab-home').click();
  await page.getByTestId('demo-hardness').click();
  await expect(page.getByTestId('hard-row').first()).toBeVisible({ timeout: 30_000 });
  await check('hardness');
  // BatchNorm: a demo run training, then stopped.
  await page.getByTestId('tab-home').click();
  await page.getByTestId('demo-bnonly').click();
  const run = page.getByTestId('bn-run').first();
  await expect(run).toHaveAttribute('data-status', 'running', { timeout: 120_000 });
  await expect.poll(async () => Number(await run.getAttribute('data-step')), { timeout: 120_000 }).toBeGreaterThan(0);
  await check('bnonly');
  await page.getByTestId('bn-stop').first().click();
  await check('home');
  expect(found, found.join('\n')).toEqual([]);
});
