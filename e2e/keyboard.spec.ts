/**
 * Every main flow walked with the keyboard alone (issue 10): Tab / Shift+Tab to reach a control,
 * Enter / Space / arrow keys / typing to use it. No mouse and no element.click(); a file is given
 * the way the OS dialog would, through the `filechooser` event after Enter on the focused "choose"
 * button. At every stop the focused element must show a focus ring (outline or box-shadow), and
 * each walk checks what the user gets: rows, masks, charts, downloaded files.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import AxeBuilder from '@axe-core/playwright';
import type { Download, Page } from '@playwright/test';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, FIXTURES, openClip, waitModelReady } from './helpers';

/** The focused element, and whether it (or the label around it) draws a focus ring. */
function focusState(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return { match: false, visible: true, what: 'body' };
    const ring = (x: Element) => {
      const cs = getComputedStyle(x);
      return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
    };
    // A visually hidden file input shows its ring on its label (:focus-within).
    const visible = e.matches(':focus-visible') && (ring(e) || (e.closest('label') !== null && ring(e.closest('label')!)));
    return { match: e.matches(sel), visible, what: e.outerHTML.slice(0, 160) };
  }, selector);
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; every stop on the way must show its focus. */
async function tabTo(page: Page, selector: string, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (opts.max ?? 150); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const f = await focusState(page, selector);
    expect(f.visible, `focus not visible on ${f.what}`).toBe(true);
    if (f.match) return;
  }
  throw new Error(`${opts.back ? 'Shift+Tab' : 'Tab'} never reached ${selector}`);
}

/** The focused element matches `selector` and shows its focus (after a key moved focus, not Tab). */
async function expectFocused(page: Page, selector: string, ring = true): Promise<void> {
  await expect.poll(async () => (await focusState(page, selector)).match, { timeout: 5_000 }).toBe(true);
  const f = await focusState(page, selector);
  if (ring) expect(f.visible, `focus not visible on ${f.what}`).toBe(true);
}

/** Picks an option of the focused <select> with the arrow keys. */
async function chooseOption(page: Page, value: string): Promise<void> {
  const read = () => page.evaluate(() => {
    const s = document.activeElement as HTMLSelectElement;
    return { values: Array.from(s.options).map((o) => o.value), index: s.selectedIndex, value: s.value };
  });
  const start = await read();
  const want = start.values.indexOf(value);
  expect(want, `option ${value} in ${start.values.join(',')}`).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < start.values.length && (await read()).value !== value; i++) await page.keyboard.press(want > start.index ? 'ArrowDown' : 'ArrowUp');
  expect((await read()).value).toBe(value);
}

/** Replaces the text of the focused input as a user would: select all, type. */
async function typeInto(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

/** Enter on the focused control, which downloads a file: its name and bytes. */
async function pressForDownload(page: Page, key = 'Enter'): Promise<{ name: string; bytes: Buffer }> {
  const dl: Promise<Download> = page.waitForEvent('download');
  await page.keyboard.press(key);
  const d = await dl;
  return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
}

/** Enter on the focused "choose…" button, then the files as the OS dialog would give them. */
async function chooseFiles(page: Page, files: string | string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(files);
}

test('panels, skip link, language and theme by keyboard', async ({ page }) => {
  await page.goto('./#/clip');
  await expect(page.locator('main h2').first()).toBeVisible();
  // The skip link is the first stop; it moves focus into the panel without leaving it.
  await tabTo(page, 'a.skip-link', { max: 1 });
  await page.keyboard.press('Enter');
  await expectFocused(page, 'main#main', false); // a skip target, not a control: no ring
  expect(page.url()).toMatch(/#\/clip$/);
  await expect(page.locator('main')).toHaveAttribute('data-panel', 'clip');

  // Every panel through the nav, Enter on each tab.
  await page.goto('./');
  const ids = await page.locator('nav.tabs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.replace('#/', '')));
  expect(ids.length).toBeGreaterThanOrEqual(6);
  for (const id of ids) {
    await tabTo(page, `nav.tabs a[href="#/${id}"]`);
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toHaveAttribute('data-panel', id);
    await expect(page.locator('main h2').first()).toBeVisible();
    await expect(page.getByTestId(`tab-${id}`)).toHaveAttribute('aria-current', 'page');
  }
  // Home's "Open …" links reach a panel too.
  await tabTo(page, 'nav.tabs a[href="#/home"]', { back: true });
  await page.keyboard.press('Enter');
  await tabTo(page, 'main a.button[href="#/segment"]');
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toHaveAttribute('data-panel', 'segment');

  // Language: French with the arrow keys, remembered across a reload.
  await tabTo(page, '[data-testid=lang]', { back: true });
  await chooseOption(page, 'fr');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByTestId('tab-home')).toContainText('Accueil');
  // Theme: Space and Enter flip it; aria-pressed follows.
  await tabTo(page, '[data-testid=theme]');
  const before = await page.locator('html').getAttribute('data-theme');
  const other = before === 'dark' ? 'light' : 'dark';
  await page.keyboard.press('Space');
  await expect(page.locator('html')).toHaveAttribute('data-theme', other);
  await expect(page.getByTestId('theme')).toHaveAttribute('aria-pressed', String(other === 'dark'));
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('html')).toHaveAttribute('data-theme', other);
  await tabTo(page, '[data-testid=theme]');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', before!);
  await tabTo(page, '[data-testid=lang]', { back: true });
  await chooseOption(page, 'en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('tab-home')).toContainText('Home');
});

test('the CLIP flow works with the keyboard alone', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm' });
  await waitModelReady(page);
  // Images: the "choose files" button opens the file chooser.
  await tabTo(page, '[data-testid=dropzone] button.link');
  await chooseFiles(page, [`${CLIP_GOLDEN_DIR}/chelsea.png`, `${CLIP_GOLDEN_DIR}/coffee.png`]);
  await expect(page.getByTestId('image-count')).toContainText('2');
  // Classes and template, typed (they sit before the images: Shift+Tab).
  await tabTo(page, '[data-testid=classes]', { back: true });
  await typeInto(page, 'a cat\na cup of coffee');
  await tabTo(page, '[data-testid=template]');
  await typeInto(page, 'a photo of {}.');
  await tabTo(page, '[data-testid=classify]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('results-count')).toContainText('2 images classified');
  await expect(page.getByTestId('result-card')).toHaveCount(2);
  // The grid: one card in the tab order, arrow keys move between cards, Enter opens one with every class.
  await tabTo(page, '[data-testid=card-open]');
  await expectFocused(page, '[data-index="0"] [data-testid=card-open]');
  await page.keyboard.press('ArrowRight');
  await expectFocused(page, '[data-index="1"] [data-testid=card-open]');
  await page.keyboard.press('Home');
  await expectFocused(page, '[data-index="0"] [data-testid=card-open]');
  await page.keyboard.press('End');
  await expectFocused(page, '[data-index="1"] [data-testid=card-open]');
  const card = page.locator('[data-testid=result-card][data-index="1"]');
  const bars = await card.locator('ol.bars li').evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-class'), Number(l.getAttribute('data-prob'))] as const));
  await page.keyboard.press('Enter');
  const details = page.getByTestId('card-details');
  await expect(details).toHaveAttribute('data-name', (await card.getAttribute('data-name'))!);
  await expect(page.locator('[data-index="1"] [data-testid=card-open]')).toHaveAttribute('aria-expanded', 'true');
  // Every class, most probable first, with the card's probabilities; they sum to 1.
  const all = await details.locator('tr[data-class]').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-class'), Number(r.getAttribute('data-prob'))] as const));
  expect(all.map(([c]) => c).sort()).toEqual(['a cat', 'a cup of coffee']);
  expect(all).toEqual(bars);
  expect(Math.abs(all.reduce((a, [, p]) => a + p, 0) - 1)).toBeLessThan(1e-5);
  const axe = await new AxeBuilder({ page }).include('[data-testid=image-grid]').include('[data-testid=card-details]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  // Escape closes it and gives focus back to the card.
  await tabTo(page, '[data-testid=card-details-close]');
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await expectFocused(page, '[data-index="1"] [data-testid=card-open]');
  // Export is reachable too.
  await tabTo(page, '[data-testid=export-json]');
  const json = JSON.parse((await pressForDownload(page)).bytes.toString('utf8'));
  expect(json.labels).toEqual(['a cat', 'a cup of coffee']);
  expect(json.results).toHaveLength(2);
});

test('segmentation by keyboard: image, typed prompt, mask view, probe, export', async ({ page, host }) => {
  const q = new URLSearchParams({ host: host.url, segModel: 'fixtures/tiny-random-clipseg', device: 'wasm', dtype: 'q8' });
  await page.goto(`./?${q}#/segment`);
  await expect(page.getByTestId('seg-model-ready')).toBeVisible({ timeout: 90_000 });
  // The image, through "choose an image".
  await tabTo(page, '[data-testid=seg-dropzone] button.link');
  await chooseFiles(page, join(FIXTURES, 'tiny-random-clipseg', 'golden', 'chelsea.png'));
  const info = page.getByTestId('seg-image-info');
  await expect(info).toBeVisible();
  const [w, h] = [Number(await info.getAttribute('data-width')), Number(await info.getAttribute('data-height'))];
  // A referring prompt, typed; Enter runs it.
  await tabTo(page, '[data-testid=seg-prompt-input]', { back: true });
  await page.keyboard.type('a cat');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid=seg-prompt][data-prompt="a cat"]')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  // Mask view with the arrow keys in the radio group; the threshold slider with arrows and End.
  await tabTo(page, '[data-testid=seg-view-heatmap]');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('seg-view-mask')).toBeChecked();
  await expectFocused(page, '[data-testid=seg-view-mask]');
  await tabTo(page, '[data-testid=seg-threshold]');
  const t0 = await page.getByTestId('seg-threshold-value').innerText();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('seg-threshold-value')).not.toHaveText(t0);
  await page.keyboard.press('Home');
  await expect(page.getByTestId('seg-threshold-value')).toHaveText('0.00');
  // At threshold 0 every pixel is in the mask.
  const opaque = () =>
    page.getByTestId('seg-overlay-canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
  await expect.poll(opaque).toBe(w * h);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  // The overlay: Enter probes the centre, an arrow key moves the probe.
  await tabTo(page, '[data-testid=seg-overlay-canvas]');
  await page.keyboard.press('Enter');
  const prompt = page.locator('[data-testid=seg-prompt]').first();
  await expect(prompt).not.toHaveAttribute('data-prob', '');
  await expect(page.locator('.seg-figure figcaption')).toContainText(`(${Math.floor(w / 2)}, ${Math.floor(h / 2)})`);
  await page.keyboard.press('ArrowRight');
  const step = Math.max(1, Math.round(Math.min(w, h) / 20));
  await expect(page.locator('.seg-figure figcaption')).toContainText(`(${Math.floor(w / 2) + step}, ${Math.floor(h / 2)})`);
  const p = Number(await prompt.getAttribute('data-prob'));
  expect(p).toBeGreaterThanOrEqual(0);
  expect(p).toBeLessThanOrEqual(1);
  // Export the mask (threshold 0.02): a PNG at the image's size, 0/255 only, with pixels on.
  await tabTo(page, '[data-testid=seg-export-mask]');
  const mask = await pressForDownload(page);
  expect(mask.name).toMatch(/\.mask\.png$/);
  const png = decode(mask.bytes);
  expect([png.width, png.height]).toEqual([w, h]);
  const px = Array.from(png.data as Uint8Array);
  expect(px.every((v) => v === 0 || v === 255)).toBe(true);
  expect(px.some((v) => v === 255)).toBe(true);
});

/** A dataset folder with one sub-folder per label, as a user would pick it. */
function labelledFolder(): string {
  const folders: Record<string, string[]> = {
    photo: ['astronaut.png', 'chelsea.png', 'coffee.png', 'photo_320x240.jpg'],
    pattern: ['checker_300x200.png', 'gradient_640x480.png', 'gray_320x240.png', 'rgba_256x256.png', 'small_50x80.png'],
  };
  const root = join(mkdtempSync(join(tmpdir(), 'keyboard-')), 'dataset');
  for (const [label, files] of Object.entries(folders)) {
    mkdirSync(join(root, label), { recursive: true });
    for (const f of files) copyFileSync(join(CLIP_GOLDEN_DIR, f), join(root, label, f));
  }
  return root;
}

test('explore by keyboard: search, more like this, linear probe, map with keyboard selection', async ({ page, host }) => {
  test.setTimeout(150_000);
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  // A labelled folder through "choose a folder".
  await tabTo(page, '[data-testid=dropzone] button.link:last-of-type');
  await chooseFiles(page, labelledFolder());
  await expect(page.getByTestId('image-count')).toContainText('9');
  await tabTo(page, '[data-testid=tab-explore]', { back: true });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('explore-status')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });

  // Search as you type.
  await tabTo(page, '[data-testid=explore-query]');
  await page.keyboard.type('a photo of a cat');
  const hits = page.getByTestId('search-hit');
  await expect(hits).toHaveCount(9);
  await expect(page.getByTestId('search-meta')).toHaveAttribute('data-count', '9');
  // Typing ranks after each keystroke: read the first hit only once the shown ranking is the full query's
  // (CI once read it from the ranking for "a photo of a c", then the order changed under the keyboard).
  await expect(page.getByTestId('search-meta')).toHaveAttribute('data-query', 'a photo of a cat');
  // "More like this" on the first hit: that image comes first.
  const first = (await hits.first().getAttribute('data-name'))!;
  await tabTo(page, '[data-testid=search-hit] button.link');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('search-meta')).toContainText(first);
  await expect(hits.first()).toHaveAttribute('data-name', first);

  // Linear probe on the folder labels: the shots chart is drawn.
  await tabTo(page, '[data-testid=train-probe]');
  await page.keyboard.press('Enter');
  const chart = page.getByTestId('probe-chart');
  await expect(chart.locator('svg')).toBeVisible({ timeout: 30_000 });
  await expect(chart.locator('g[data-series]')).toHaveCount(2);
  await expect(chart.locator('circle.x-point')).toHaveCount(12);
  await tabTo(page, '[data-testid=export-head]');
  const head = JSON.parse((await pressForDownload(page)).bytes.toString('utf8'));
  expect(head).toMatchObject({ format: 'clip-lab/linear-probe', classes: ['pattern', 'photo'] });

  // The shift lab: Space picks one shift and two severities, Enter runs it; the view select and the chart's
  // arrow keys read the accuracy at each severity.
  for (const shift of ['gaussian-noise', 'blur', 'jpeg', 'contrast', 'pixelate', 'rotate', 'grayscale', 'color-jitter']) {
    await tabTo(page, `[data-testid=shift-${shift}]`);
    if ((await page.getByTestId(`shift-${shift}`).isChecked()) !== (shift === 'grayscale')) await page.keyboard.press('Space');
  }
  for (const sev of [1, 2, 3, 4, 5]) {
    await tabTo(page, `[data-testid=severity-${sev}]`);
    if ((await page.getByTestId(`severity-${sev}`).isChecked()) !== (sev === 1 || sev === 3)) await page.keyboard.press('Space');
    await expect(page.getByTestId(`severity-${sev}`)).toBeChecked({ checked: sev === 1 || sev === 3 });
  }
  await tabTo(page, '[data-testid=run-shifts]');
  await page.keyboard.press('Enter');
  const shiftChart = page.getByTestId('shift-chart');
  await expect(shiftChart.locator('svg')).toBeVisible({ timeout: 60_000 });
  await expect(shiftChart.locator('g[data-series]')).toHaveCount(2); // zero-shot and the probe trained above
  await expect(shiftChart.locator('circle.x-point')).toHaveCount(6); // clean, 1, 3
  await tabTo(page, '[data-testid=shift-view]');
  await chooseOption(page, 'grayscale');
  await expect(shiftChart.locator('figcaption')).toContainText('Grayscale');
  await tabTo(page, '[data-testid=shift-chart] svg');
  await page.keyboard.press('End');
  const shiftTip = shiftChart.getByRole('status');
  await expect(shiftTip).toContainText('3');
  const zs = shiftChart.locator('g[data-series=zeroshot] circle.x-point').last();
  await expect(shiftTip).toContainText(`${Math.round(Number(await zs.getAttribute('data-value')) * 100)}`);
  await page.keyboard.press('Home');
  await expect(shiftTip).toContainText('clean');
  await page.keyboard.press('Tab');
  await expect(shiftTip).toHaveCount(0);

  // The map: built with Enter; arrow keys walk the dots, Space selects, the selection gets a class.
  await tabTo(page, '[data-testid=build-map]');
  await page.keyboard.press('Enter');
  const map = page.getByTestId('embed-map');
  await expect(map.locator('circle.x-dot')).toHaveCount(9, { timeout: 30_000 });
  await tabTo(page, '[data-testid=embed-map] svg.x-map');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('map-hover')).toBeVisible();
  const a = await map.locator('svg.x-map').getAttribute('data-active');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('lasso-selection')).toContainText('1 images selected');
  for (const key of ['ArrowRight', 'ArrowDown', 'ArrowUp', 'ArrowLeft']) {
    await page.keyboard.press(key);
    if ((await map.locator('svg.x-map').getAttribute('data-active')) !== a) break;
  }
  const b = await map.locator('svg.x-map').getAttribute('data-active');
  expect(b).not.toBe(a);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('lasso-selection')).toContainText('2 images selected');
  await expect(map.locator('circle.x-dot.selected')).toHaveCount(2);
  await expect(map.locator('circle.x-dot-focus')).toHaveCount(1);
  await tabTo(page, '[data-testid=lasso-selection] input');
  // Focus left the map: no ring left on the last dot, no image shown.
  await expect(map.locator('circle.x-dot-focus')).toHaveCount(0);
  await expect(page.getByTestId('map-hover')).toHaveCount(0);
  await page.keyboard.type('odd');
  await tabTo(page, '[data-testid=lasso-selection] button');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('probe-classes')).toContainText('odd (2)');
});

test('BatchNorm-only by keyboard: configure, start, pause, resume, stop, export', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto('./#/bnonly');
  await expect(page.getByTestId('bn-start')).toBeVisible();
  await tabTo(page, '[data-testid=bn-dataset]');
  await chooseOption(page, 'fashion-mnist');
  await tabTo(page, '[data-testid=bn-depth]');
  await chooseOption(page, '8');
  await tabTo(page, '[data-testid=bn-width]');
  await typeInto(page, '16');
  // One mode: BatchNorm only (Space toggles each checkbox).
  for (const mode of ['full', 'bn', 'bn+output', 'output', 'random2']) {
    await tabTo(page, `[data-testid="bn-mode-${mode}"]`);
    if ((await page.getByTestId(`bn-mode-${mode}`).isChecked()) !== (mode === 'bn')) await page.keyboard.press('Space');
    await expect(page.getByTestId(`bn-mode-${mode}`)).toBeChecked({ checked: mode === 'bn' });
  }
  for (const [id, v] of [['bn-steps', '200'], ['bn-batch', '32'], ['bn-train-size', '256'], ['bn-test-size', '128'], ['bn-eval-every', '10']]) {
    await tabTo(page, `[data-testid=${id}]`);
    await typeInto(page, v);
    await expect(page.getByTestId(id)).toHaveValue(v);
  }
  await tabTo(page, '[data-testid=bn-backend]');
  await chooseOption(page, 'wasm');
  await tabTo(page, '[data-testid=bn-start]');
  await page.keyboard.press('Enter');
  const row = page.getByTestId('bn-run').first();
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect.poll(async () => Number(await row.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);

  // Pause, then resume: focus stays on the one button as it flips.
  await tabTo(page, '[data-testid=bn-pause]');
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-status', 'paused');
  await expectFocused(page, '[data-testid=bn-resume]');
  const pausedAt = Number(await row.getAttribute('data-step'));
  expect(pausedAt).toBeLessThan(200);
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-status', 'running');
  await expect.poll(async () => Number(await row.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(pausedAt);
  // Stop: focus lands on the row's "show" button.
  await tabTo(page, '[data-testid=bn-stop]');
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-status', 'stopped');
  await expectFocused(page, '[data-testid=bn-show]');
  const steps = Number(await row.getAttribute('data-step'));
  expect(steps).toBeGreaterThan(pausedAt);
  if ((await page.getByTestId('bn-show').first().getAttribute('aria-pressed')) !== 'true') await page.keyboard.press('Enter');
  await expect(page.getByTestId('bn-selected')).toBeVisible();
  await expect(page.getByTestId('bn-chart-loss').locator('path[data-series="bn"]')).toHaveAttribute('data-points', String(steps));
  // The loss chart: arrow keys show the values at a step; its SVG export is a button away.
  await tabTo(page, '[data-testid=bn-chart-loss] svg');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('bn-chart-loss').getByRole('status')).toContainText(/\d/);
  await tabTo(page, '[data-testid=bn-chart-loss] figcaption button:last-of-type', { back: true });
  const svg = await pressForDownload(page);
  expect(svg.name).toMatch(/\.svg$/);
  expect(svg.bytes.toString('utf8')).toMatch(/<svg[^>]*>[\s\S]*data-series="bn"/);

  // Export the metrics as CSV: one row per logged step (plus step 0), for the one mode.
  await tabTo(page, '[data-testid=bn-export-csv]');
  const csv = (await pressForDownload(page)).bytes.toString('utf8').trim().split('\n');
  expect(csv[0]).toMatch(/^experiment,mode,step,/);
  expect(csv.length - 1).toBe(steps + 1);
  expect(csv.slice(1).every((l) => l.split(',')[1] === '"bn"')).toBe(true);
  expect(Number(csv[csv.length - 1].split(',')[8])).toBe(672);
});

test('hardness by keyboard: demo, ranking, details, relabel, exclude, export', async ({ page }) => {
  await page.goto('./#/hardness');
  await tabTo(page, '[data-testid=hard-demo]');
  await page.keyboard.press('Enter');
  const rows = page.getByTestId('hard-row');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('hard-data')).toContainText('500');

  // The ranking: one row in the tab order; arrow keys, End and Home move through the 500 images.
  await tabTo(page, '[data-testid=hard-open]');
  await expectFocused(page, '[data-index="0"] [data-testid=hard-open]');
  await page.keyboard.press('End');
  await expectFocused(page, '[data-index="499"] [data-testid=hard-open]');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expectFocused(page, '[data-index="2"] [data-testid=hard-open]');
  const third = page.locator('[data-testid=hard-row][data-index="2"]');
  const name = (await third.getAttribute('data-name'))!;
  const avh = Number(await third.getAttribute('data-avh'));
  // Enter opens its details: rank 3, its AVH.
  await page.keyboard.press('Enter');
  const details = page.getByTestId('hard-details');
  await expect(details).toHaveAttribute('data-name', name);
  await expect(page.getByTestId('hard-details-rank')).toHaveText('3');
  await expect(page.getByTestId('hard-details-avh')).toHaveText(avh.toFixed(4));
  const axe = await new AxeBuilder({ page }).include('[data-testid=hard-ranking]').include('[data-testid=hard-details]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  // Relabel it from the details (arrow keys in the class list), then exclude it.
  await tabTo(page, '[data-testid=hard-details-label]');
  const oldLabel = await page.getByTestId('hard-details-label').inputValue();
  await page.keyboard.press(oldLabel === (await page.getByTestId('hard-details-label').locator('option').first().getAttribute('value')) ? 'ArrowDown' : 'ArrowUp');
  await expect(page.locator(`[data-testid=hard-fixed-item][data-name="${name}"]`)).toHaveAttribute('data-status', 'relabelled');
  await tabTo(page, '[data-testid=hard-details-exclude]');
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-testid=hard-fixed-item][data-name="${name}"]`)).toHaveAttribute('data-status', 'excluded');
  await expect(page.getByTestId('hard-details')).toHaveCount(0);
  await expectFocused(page, '[data-testid=hard-open]');
  await expect(page.getByTestId('hard-data')).toContainText('500');
  await expect(page.locator(`[data-testid=hard-row][data-name="${name}"]`)).toHaveCount(0);
  // Escape closes the details and gives focus back to the row.
  await page.keyboard.press('Enter');
  await expect(details).toBeVisible();
  await tabTo(page, '[data-testid=hard-details-label]', { max: 3 });
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await expectFocused(page, '[data-index="2"] [data-testid=hard-open]');

  // Suspected label errors: with ten classes every AVH is near 0.1, under the default 0.3, so the
  // thresholds are typed (any AVH, other class at 90 % or more); then relabel one and exclude the
  // next, focus following to the next suspect.
  const suspects = page.getByTestId('hard-suspect');
  await tabTo(page, '[data-testid=hard-min-avh]');
  await typeInto(page, '0');
  await tabTo(page, '[data-testid=hard-min-conf]');
  await typeInto(page, '0.9');
  await expect.poll(() => suspects.count()).toBeGreaterThan(2);
  const n = await suspects.count();
  console.log(`suspected label errors at AVH >= 0, confidence >= 0.9: ${n} of 500`);
  const relabelled = (await suspects.first().getAttribute('data-name'))!;
  await tabTo(page, '[data-testid=hard-suspect] [data-testid=hard-relabel]');
  await page.keyboard.press('Enter');
  await expect(suspects).toHaveCount(n - 1);
  await expectFocused(page, '[data-testid=hard-suspect] [data-testid=hard-relabel]');
  const excluded = (await suspects.first().getAttribute('data-name'))!;
  await tabTo(page, '[data-testid=hard-suspect] [data-testid=hard-exclude]');
  await page.keyboard.press('Enter');
  await expect(suspects).toHaveCount(n - 2);

  // The cleaned list: both exclusions gone, the relabel recorded.
  await tabTo(page, '[data-testid=hard-export-csv]', { back: true });
  const csv = (await pressForDownload(page)).bytes.toString('utf8').trim().split('\n');
  expect(csv[0]).toBe('path,label,original_label,status,avh,confidence,entropy,margin,predicted');
  expect(csv).toHaveLength(1 + 498);
  expect(csv.some((l) => l.startsWith(`${name},`) || l.startsWith(`${excluded},`))).toBe(false);
  expect(csv.find((l) => l.startsWith(`${relabelled},`))).toContain(',relabelled,');

  // The scatter by keyboard, as the BN loss chart: Home shows the leftmost dot, the lowest AVH, which is
  // the ranking's first row; ArrowRight steps to higher AVH; Escape hides the values.
  const top = page.locator('[data-testid=hard-row][data-index="0"]');
  const topName = (await top.getAttribute('data-name'))!;
  const topAvh = Number(await top.getAttribute('data-avh'));
  await tabTo(page, '[data-testid=hard-scatter]', { max: 400 });
  const tip = page.getByTestId('hard-tooltip');
  await page.keyboard.press('Home');
  await expect(tip).toContainText(`${topName}: AVH ${topAvh.toFixed(4)}, `);
  expect(await tip.innerText()).toMatch(/^[^:]+: AVH [\d.]+, .+ [\d.]+$/); // the row's own values, nothing before
  await expect(page.getByTestId('hard-scatter').locator('circle.hard-cursor')).toHaveCount(1);
  await page.keyboard.press('ArrowRight');
  await expect(tip).not.toContainText(topName);
  expect(Number((await tip.innerText()).match(/AVH ([\d.]+)/)![1])).toBeGreaterThanOrEqual(Number(topAvh.toFixed(4)));
  await page.keyboard.press('Escape');
  await expect(tip).toHaveCount(0);
  // A class's histogram: the arrow keys walk its bins; their counts add up to the class's images.
  const hist = page.getByTestId('hard-histograms').locator('figure').first();
  const classSize = Number((await hist.locator('figcaption .muted').innerText()).replace(/\D/g, ''));
  await tabTo(page, '[data-testid=hard-histograms] figure:first-child svg');
  await page.keyboard.press('Home');
  const bins: string[] = [await tip.innerText()];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('ArrowRight');
    const t = await tip.innerText();
    if (t === bins[bins.length - 1]) break;
    bins.push(t);
  }
  const binSum = bins.reduce((a, t) => a + Number(t.slice(t.lastIndexOf(':') + 1)), 0);
  console.log(`histogram of ${await hist.locator('figcaption strong').innerText()}: ${bins.length} bins, ${binSum} images`);
  expect(bins.length).toBeGreaterThan(2);
  expect(binSum).toBe(classSize);
  // Leaving the chart hides its values.
  await page.keyboard.press('Tab');
  await expect(tip).toHaveCount(0);

  // A mouse user scrolls the ranking so that its active row (index 2) leaves the DOM: Tab then reaches the
  // list, and the arrow keys still move rows from the active one (not scroll the list).
  await page.getByTestId('hard-ranking').hover();
  await page.mouse.wheel(0, 20_000);
  await expect(page.locator('[data-testid=hard-row][data-index="2"]')).toHaveCount(0);
  await tabTo(page, '[data-testid=hard-ranking]', { back: true, max: 400 });
  await page.keyboard.press('ArrowDown');
  await expectFocused(page, '[data-index="3"] [data-testid=hard-open]');
  await page.keyboard.press('End');
  await expectFocused(page, '[data-index="497"] [data-testid=hard-open]');
});
