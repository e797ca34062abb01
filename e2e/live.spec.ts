/**
 * Live zero-shot on Chromium's fake camera, fed a Y4M clip the spec makes from fixture images
 * (e2e/fake-camera.ts): frames are processed (fps shown), pausing on a frame gives the same logits
 * as classifying that frame as a dropped file, frames really come from the clip's segments, a
 * recording exports, leaving the panel stops the camera, and a refused permission says so.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import config from '../playwright.config';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, collectConsole, golden, GOLDEN_CLASS_INDEXES, openClip, readCardLogits, setClasses, waitModelReady } from './helpers';
import { meanAbsDiff, writeY4m } from './fake-camera';
import { decodePng } from '../src/data/png';

const CLASSES = GOLDEN_CLASS_INDEXES.map((i) => golden.texts[i]);
const SEGMENT_IMAGES = ['astronaut.png', 'chelsea.png', 'coffee.png'];
const CLIP_PATH = join(tmpdir(), `lab-live-${process.pid}.y4m`);
// 3 segments of 1 s at 10 fps: short enough that a few pauses land on different segments.
const SEGMENTS = writeY4m(CLIP_PATH, SEGMENT_IMAGES.map((n) => join(CLIP_GOLDEN_DIR, n)), { width: 160, height: 120, fps: 10, framesPer: 10 });

// The project's launch options (Chromium path, WebGPU flags), plus a fake camera playing the clip.
const base = config.use!.launchOptions!;
test.use({
  launchOptions: { ...base, args: [...(base.args ?? []), '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${CLIP_PATH}`] },
  permissions: ['camera'],
});

declare global {
  interface Window {
    __liveStreams: MediaStream[];
  }
}

test('live zero-shot: frames processed, pause == the frame as a file, camera off when the panel is left', async ({ page, host }) => {
  // ~40 s on an idle machine; the limit leaves room for a loaded one (model load, several pauses, each classified).
  test.setTimeout(180_000);
  const logs = collectConsole(page);
  // Keep every stream the page opens, to check their tracks are stopped later.
  await page.addInitScript(() => {
    window.__liveStreams = [];
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (c) => {
      const s = await gum(c);
      window.__liveStreams.push(s);
      return s;
    };
  });
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await setClasses(page, CLASSES);

  await page.getByTestId('live-start').click();
  await expect(page.getByTestId('camera-on')).toBeVisible();
  const stats = page.getByTestId('live-stats');
  await expect.poll(async () => Number(await stats.getAttribute('data-processed-fps')), { message: logs.join('\n') }).toBeGreaterThan(0);
  await expect(stats).toHaveAttribute('data-backend', 'wasm');
  await expect(stats).toHaveAttribute('data-dtype', 'fp32');
  const camFps = Number(await stats.getAttribute('data-camera-fps'));
  const procFps = Number(await stats.getAttribute('data-processed-fps'));
  console.log(`camera ${camFps.toFixed(1)} fps, processed ${procFps.toFixed(1)} fps, latency ${Number(await stats.getAttribute('data-latency')).toFixed(0)} ms`);
  await expect(stats).toContainText('fps');

  // Record a little, export JSONL: one row per processed frame, frames increasing, labels from the class list.
  const frameNo = async () => Number(await page.getByTestId('live-top').getAttribute('data-frame'));
  await page.getByTestId('live-record').click();
  const from = await frameNo();
  await expect.poll(frameNo).toBeGreaterThanOrEqual(from + 2);
  await page.getByTestId('live-record').click();
  const dl = page.waitForEvent('download');
  await page.getByTestId('live-export-jsonl').click();
  const jsonl = await (await dl).createReadStream().then(async (s) => {
    let t = '';
    for await (const c of s) t += c;
    return t;
  });
  const rows = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { frame: number; top: { label: string; logit: number }[] });
  expect(rows.length).toBeGreaterThan(0);
  rows.forEach((r, i) => {
    if (i) expect(r.frame).toBeGreaterThan(rows[i - 1].frame);
    expect(CLASSES).toContain(r.top[0].label);
  });

  // Pause on frames until each segment of the clip was seen once; every paused frame must score like
  // the same PNG classified as an ordinary image of the panel.
  const seen = new Set<number>();
  for (let attempt = 0; attempt < 6 && seen.size < SEGMENTS.length; attempt++) {
    await page.getByTestId('live-pause').click();
    const paused = page.getByTestId('live-paused-top');
    await expect(paused).toBeVisible();
    const n = await paused.getAttribute('data-frame');
    const name = `live-frame-${n}.png`;
    const bytes = await page.getByTestId('live-paused-image').evaluate(async (img: HTMLImageElement) => Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer())));
    const captured = decodePng(new Uint8Array(bytes), name);
    const diffs = SEGMENTS.map((s) => meanAbsDiff(captured, s));
    const seg = diffs.indexOf(Math.min(...diffs));
    // I420 (4:2:0 chroma, limited range) and the camera's scaling move pixels a few levels; the
    // segments differ from each other by far more, so the closest one names the frame's source.
    expect(diffs[seg], `mean |captured - segment| ${diffs.map((d) => d.toFixed(1))}`).toBeLessThan(20);
    const live = await paused.locator('li[data-class]').evaluateAll((lis) => lis.map((li) => ({ c: li.getAttribute('data-class')!, logit: Number(li.getAttribute('data-logit')) })));
    const card = page.locator(`[data-testid="result-card"][data-name="${name}"]`);
    await expect(card.locator('li[data-class]').first()).toBeVisible({ timeout: 30_000 });
    const still = (await readCardLogits(page))[name];
    expect(Object.keys(still).length).toBeGreaterThan(0);
    // top-1 is the same class, and every shown logit agrees to 1e-3 (same pixels, same worker, same model)
    expect(live[0].c).toBe(Object.entries(still).sort((a, b) => b[1] - a[1])[0][0]);
    for (const { c, logit } of live) if (c in still) expect(Math.abs(logit - still[c]), `${name} ${c}`).toBeLessThan(1e-3);
    console.log(`paused on ${name}: segment ${SEGMENT_IMAGES[seg]} (mean |diff| ${diffs[seg].toFixed(1)}), top-1 ${live[0].c}`);
    seen.add(seg);
    await page.getByTestId('live-resume').click();
    // wait some hundred ms of the clip so the next pause can land on another segment
    await page.waitForTimeout(350 + 150 * attempt);
  }
  console.log(`segments seen by pausing: ${[...seen].map((s) => SEGMENT_IMAGES[s]).join(', ')}`);
  expect(seen.size, 'pauses landed on at least two segments of the clip').toBeGreaterThanOrEqual(2);

  // Leaving the panel turns the camera off.
  expect(await page.evaluate(() => window.__liveStreams.length)).toBeGreaterThan(0);
  await page.getByTestId('tab-segment').click();
  await expect.poll(() => page.evaluate(() => window.__liveStreams.every((s) => s.getTracks().every((t) => t.readyState === 'ended')))).toBe(true);
});

test('a refused camera permission shows the message and nothing else breaks', async ({ browser, host }, info) => {
  const context = await browser.newContext({ baseURL: info.project.use.baseURL, permissions: [] });
  const page = await context.newPage();
  // Headless Chromium answers an unanswered permission prompt with a refusal; this context grants nothing.
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await page.getByTestId('live-start').click();
  const err = page.getByTestId('live-error');
  await expect(err).toHaveAttribute('data-kind', 'denied');
  await expect(err).toContainText('refused');
  await expect(page.getByTestId('camera-on')).toHaveCount(0);
  await expect(page.getByTestId('live-start')).toBeEnabled();
  await context.close();
});

test('live segmentation: the overlay of a paused frame equals the still-image overlay of that frame', async ({ page, host }) => {
  test.setTimeout(180_000); // same reason as above: a loaded machine
  const logs = collectConsole(page);
  const q = new URLSearchParams({ host: host.url, segModel: 'fixtures/tiny-random-clipseg', device: 'wasm', dtype: 'fp32' });
  await page.goto(`./?${q}#/segment`);
  await expect(page.getByTestId('seg-model-ready')).toBeVisible({ timeout: 90_000 });
  for (const p of ['a cat', 'the red disc']) {
    await page.getByTestId('seg-prompt-input').fill(p);
    await page.getByTestId('seg-prompt-input').press('Enter');
  }
  // heatmap: alpha = probability x opacity, so any difference in the maps shows in the pixels
  await page.getByTestId('seg-view-heatmap').check();
  await page.getByTestId('seg-live-start').click();
  await expect(page.getByTestId('seg-camera-on')).toBeVisible();
  const stats = page.getByTestId('seg-live-stats');
  await expect.poll(async () => Number(await stats.getAttribute('data-processed-fps')), { message: logs.join('\n') }).toBeGreaterThan(0);
  console.log(`live segmentation: camera ${Number(await stats.getAttribute('data-camera-fps')).toFixed(1)} fps, processed ${Number(await stats.getAttribute('data-processed-fps')).toFixed(1)} fps`);
  await page.getByTestId('seg-live-pause').click();
  await expect(page.getByTestId('seg-image-info')).toBeVisible({ timeout: 30_000 });
  const still = page.locator('[data-testid=seg-overlay-canvas][data-view="heatmap"][data-layers="2"]');
  await expect(still).toHaveCount(1, { timeout: 60_000 });
  const read = (sel: string) =>
    page.locator(sel).evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height, d: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data) }));
  const live = await read('[data-testid=seg-live-overlay]');
  const ref = await read('[data-testid=seg-overlay-canvas]');
  expect([live.w, live.h]).toEqual([ref.w, ref.h]);
  let differ = 0;
  let on = 0;
  for (let i = 3; i < ref.d.length; i += 4) {
    if (ref.d[i] > 0) on++;
    if (ref.d[i] !== live.d[i] || ref.d[i - 3] !== live.d[i - 3]) differ++;
  }
  console.log(`paused frame ${live.w}x${live.h}: ${on} mask pixels drawn, ${differ} differ`);
  expect(on, 'the heatmap draws something').toBeGreaterThan(0);
  expect(differ).toBe(0);
});
