/** Shared steps of the e2e specs: open the lab on the local model host, drop files, classify, read results. */
import { expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(E2E_DIR, 'fixtures');
export const CLIP_GOLDEN_DIR = join(FIXTURES, 'tiny-random-clip', 'golden');
export const TINY_CLIP = 'fixtures/tiny-random-clip';

export interface ClipGolden {
  texts: string[];
  images: string[];
  logits_per_image: number[][];
}
export const golden: ClipGolden = JSON.parse(readFileSync(join(CLIP_GOLDEN_DIR, 'golden.json'), 'utf8'));

/** Golden prompts usable as class names with the template "{}": non-empty and not over 77 tokens. */
export const GOLDEN_CLASS_INDEXES = golden.texts.map((t, i) => ({ t, i })).filter(({ t }) => t !== '' && t.length < 200).map(({ i }) => i);

export function collectConsole(page: Page): string[] {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  return logs;
}

/** Opens the CLIP panel pointed at the local model host. */
export async function openClip(page: Page, hostUrl: string, opts: { device?: 'wasm' | 'webgpu'; dtype?: string; model?: string } = {}): Promise<void> {
  const q = new URLSearchParams({ host: hostUrl, model: opts.model ?? TINY_CLIP });
  if (opts.device) q.set('device', opts.device);
  if (opts.dtype) q.set('dtype', opts.dtype);
  await page.goto(`./?${q}#/clip`);
  await expect(page.getByRole('heading', { level: 2 })).toBeVisible();
}

/**
 * Waits until the page is cross-origin isolated. On a header-less host the service worker reloads
 * the page once to take control; an evaluate that lands in that reload is destroyed with its context
 * ("Execution context was destroyed"), which is the expected transition, so it counts as "not yet".
 */
export async function waitIsolated(page: Page, timeout = 30_000): Promise<void> {
  await expect.poll(() => page.evaluate(() => globalThis.crossOriginIsolated).catch(() => false), { timeout }).toBe(true);
}

export async function waitModelReady(page: Page, timeout = 90_000): Promise<{ device: string; dtype: string }> {
  const ready = page.getByTestId('model-ready');
  await expect(ready.or(page.getByTestId('model-error'))).toBeVisible({ timeout });
  if (await page.getByTestId('model-error').isVisible()) throw new Error(await page.getByTestId('model-error').innerText());
  return { device: (await ready.getAttribute('data-device'))!, dtype: (await ready.getAttribute('data-dtype'))! };
}

export async function dropFiles(page: Page, files: { name: string; buffer: Buffer; mimeType?: string }[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(files.map((f) => ({ mimeType: 'application/octet-stream', ...f })));
}

export function goldenFile(name: string): { name: string; buffer: Buffer } {
  return { name, buffer: readFileSync(join(CLIP_GOLDEN_DIR, name)) };
}

export async function setClasses(page: Page, classes: string[], template = '{}'): Promise<void> {
  await page.getByTestId('preset').selectOption('custom');
  await page.getByTestId('classes').fill(classes.join('\n'));
  await page.getByTestId('template').fill(template);
}

/** Clicks Classify and waits for the run to end ("done"); returns the final status. */
export async function classify(page: Page, timeout = 90_000): Promise<string> {
  const status = page.getByTestId('run-status');
  await page.getByTestId('classify').click();
  await expect(status).not.toHaveAttribute('data-status', /^(idle|done)$/, { timeout: 5_000 }).catch(() => undefined);
  await expect(status).toHaveAttribute('data-status', /^(done|cancelled|error)$/, { timeout });
  await expect(page.getByTestId('results-count')).toBeVisible();
  return (await status.getAttribute('data-status'))!;
}

/** Logits per image and class read off the result cards (top-k bars carry data-class / data-logit). */
export async function readCardLogits(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.getByTestId('result-card').evaluateAll((cards) => {
    const out: Record<string, Record<string, number>> = {};
    for (const c of cards) {
      const name = c.getAttribute('data-name')!;
      out[name] = {};
      for (const li of Array.from(c.querySelectorAll('li[data-class]'))) {
        out[name][li.getAttribute('data-class')!] = Number(li.getAttribute('data-logit'));
      }
    }
    return out;
  });
}

/**
 * Where `screenshot()` writes: the git-ignored build folder test-results/screenshots/ (in $LAB_TEST_RESULTS
 * when set, like playwright.config.ts's outputDir) by default, so
 * `npm test` leaves the checkout clean; docs/screenshots/ (tracked) only when LAB_UPDATE_SCREENSHOTS=1,
 * which `npm run screenshots` sets to refresh the pictures in the docs on purpose.
 */
export const SCREENSHOT_DIR = join(E2E_DIR, '..', process.env.LAB_UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : `${process.env.LAB_TEST_RESULTS ?? 'test-results'}/screenshots`);

/** A full-page screenshot named `name` (e.g. 'clip.png') in SCREENSHOT_DIR; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+\.png$/.test(name)) throw new Error(`screenshot name must be a plain file name ending in .png, got ${name}`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
