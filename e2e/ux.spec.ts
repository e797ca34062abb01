/** Keyboard-only use of the main CLIP flow, and the French UI showing no English string of the catalogue. */
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, openClip, waitModelReady } from './helpers';
import { en } from '../app/i18n/en';
import { fr } from '../app/i18n/fr';

/** Presses Tab until the focused element matches `selector` (fails after 80 presses). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('the CLIP flow works with the keyboard alone', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm' });
  await waitModelReady(page);
  // Images: the "choose files" button opens the file chooser.
  await tabTo(page, '[data-testid=dropzone] button.link');
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles([`${CLIP_GOLDEN_DIR}/chelsea.png`, `${CLIP_GOLDEN_DIR}/coffee.png`]);
  await expect(page.getByTestId('image-count')).toContainText('2');
  // Classes and template, typed.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await tabTo(page, '[data-testid=classes]');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('a cat\na cup of coffee');
  await tabTo(page, '[data-testid=template]');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('a photo of {}.');
  await tabTo(page, '[data-testid=classify]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('results-count')).toContainText('2 images classified');
  // Export is reachable too.
  await tabTo(page, '[data-testid=export-json]');
  const dl = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const json = JSON.parse(await (await (await dl).createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')));
  expect(json.labels).toEqual(['a cat', 'a cup of coffee']);
  expect(json.results).toHaveLength(2);
  // The focus ring is visible (an outline is drawn on the focused control).
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');
});

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
  return out;
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
    const text = await page.locator('body').innerText();
    for (const s of strings) if (text.includes(s)) found.push(`${id}: "${s}"`);
  }
  expect(found, found.join('\n')).toEqual([]);
});
