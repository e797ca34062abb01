/**
 * Shared by the live specs (e2e/live-*.spec.ts): the project's launch options plus Chromium's fake
 * camera playing a clip, a hook that keeps every camera stream the page opens, and "pause on a frame,
 * check it scores like the same frame dropped as a file".
 */
import type { Page } from '@playwright/test';
import config from '../playwright.config';
import { expect } from './test';
import { readCardLogits } from './helpers';
import { meanAbsDiff } from './fake-camera';
import { decodePng } from '../src/data/png';
import type { RgbImage } from '../src/data/image';

/** test.use() options: a fake camera that plays `clip` (Y4M), camera permission granted. */
export function fakeCameraUse(clip: string) {
  const base = config.use!.launchOptions!;
  return {
    launchOptions: { ...base, args: [...(base.args ?? []), '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip}`] },
    permissions: ['camera'],
  };
}

declare global {
  interface Window {
    __liveStreams: MediaStream[];
  }
}

/** Keeps every stream getUserMedia gives the page in window.__liveStreams (call before the page loads). */
export async function keepStreams(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__liveStreams = [];
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (c) => {
      const s = await gum(c);
      window.__liveStreams.push(s);
      return s;
    };
  });
}

/** Every track of every stream the page opened has ended (readyState 'ended'). */
export const allTracksEnded = (page: Page) => page.evaluate(() => window.__liveStreams.length > 0 && window.__liveStreams.every((s) => s.getTracks().every((t) => t.readyState === 'ended')));

/** The CLIP Live section's processed frame count so far (0 before the first result). */
export const processedFrame = (page: Page) => page.evaluate(() => Number(document.querySelector('[data-testid="live-top"]')?.getAttribute('data-frame') ?? 0));

/**
 * Pauses the CLIP panel's Live section on a frame and checks it against the same frame classified as an
 * ordinary image of the panel (the PNG pause adds): same top-1, every shown logit within 1e-3. Returns
 * which segment of the clip the frame came from (closest by mean |difference|), that difference, and the
 * top-1. Leaves the section paused. `clicked`: the caller already pressed Pause (at a moment of its choosing).
 */
export async function pauseMatchesStill(page: Page, segments: RgbImage[], opts: { clicked?: boolean } = {}): Promise<{ seg: number; diffs: number[]; top1: string; name: string }> {
  if (!opts.clicked) await page.getByTestId('live-pause').click();
  const paused = page.getByTestId('live-paused-top');
  await expect(paused).toBeVisible();
  const n = await paused.getAttribute('data-frame');
  const name = `live-frame-${n}.png`;
  const bytes = await page.getByTestId('live-paused-image').evaluate(async (img: HTMLImageElement) => Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer())));
  const captured = decodePng(new Uint8Array(bytes), name);
  const diffs = segments.map((s) => meanAbsDiff(captured, s));
  const seg = diffs.indexOf(Math.min(...diffs));
  const live = await paused.locator('li[data-class]').evaluateAll((lis) => lis.map((li) => ({ c: li.getAttribute('data-class')!, logit: Number(li.getAttribute('data-logit')) })));
  expect(live.length).toBeGreaterThan(0);
  const card = page.locator(`[data-testid="result-card"][data-name="${name}"]`);
  await expect(card.locator('li[data-class]').first()).toBeVisible({ timeout: 30_000 });
  const still = (await readCardLogits(page))[name];
  expect(Object.keys(still).length).toBeGreaterThan(0);
  // same top-1, and every shown logit agrees to 1e-3 (same pixels, same worker, same model)
  expect(live[0].c, `${name}: live top-1 vs the frame as a file`).toBe(Object.entries(still).sort((a, b) => b[1] - a[1])[0][0]);
  let compared = 0;
  for (const { c, logit } of live) {
    if (!(c in still)) continue;
    expect(Math.abs(logit - still[c]), `${name} ${c}`).toBeLessThan(1e-3);
    compared++;
  }
  expect(compared, 'classes compared between the live frame and the still image').toBeGreaterThan(1);
  return { seg, diffs, top1: live[0].c, name };
}
