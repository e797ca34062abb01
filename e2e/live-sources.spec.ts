/**
 * The Live section's other sources and its respect for the device (issue 17, "Sources" and "Respect
 * the device"): a WebM video file made in the browser from fixture images is classified live and a
 * paused frame scores like the same frame as a file; a file that cannot play says which file and why,
 * and the panel keeps working; a camera unplugged mid-run says so and nothing else breaks; the camera
 * goes off (track stopped, indicator gone) when the tab goes to the background.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { test, expect } from './test';
import { classify, CLIP_GOLDEN_DIR, collectConsole, dropFiles, golden, GOLDEN_CLASS_INDEXES, goldenFile, openClip, readCardLogits, setClasses, waitModelReady } from './helpers';
import { recordWebm, writeY4m } from './fake-camera';
import { allTracksEnded, fakeCameraUse, keepStreams, pauseMatchesStill, processedFrame } from './live-helpers';
import { en } from '../app/i18n/en';
import type { Page } from '@playwright/test';

const CLASSES = GOLDEN_CLASS_INDEXES.map((i) => golden.texts[i]);
const SEGMENT_IMAGES = ['astronaut.png', 'chelsea.png', 'coffee.png'];
const SEGMENT_PATHS = SEGMENT_IMAGES.map((n) => join(CLIP_GOLDEN_DIR, n));
/** seconds each image lasts in the video file */
const SEGMENT_S = 2;
const CLIP_PATH = join(tmpdir(), `lab-live-sources-${process.pid}.y4m`);
writeY4m(CLIP_PATH, SEGMENT_PATHS, { width: 160, height: 120, fps: 10, framesPer: 10 });
test.use(fakeCameraUse(CLIP_PATH));

/** 64 KiB that no demuxer reads as a video: a fixed pseudo-random sequence (xorshift32), the same every run. */
function junkBytes(n = 64 * 1024): Buffer {
  const b = Buffer.alloc(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const pageErrors = (logs: string[]) => logs.filter((l) => l.startsWith('[pageerror]'));

async function startCamera(page: Page, logs: string[]) {
  await page.getByTestId('live-start').click();
  await expect(page.getByTestId('camera-on')).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId('live-stats').getAttribute('data-processed-fps')), { message: logs.join('\n') }).toBeGreaterThan(0);
}

/** The still-image path (drop a file, Classify) gives the reference logits: the panel works. */
async function stillClassificationWorks(page: Page) {
  await dropFiles(page, [goldenFile('chelsea.png')]);
  expect(await classify(page)).toBe('done');
  const got = (await readCardLogits(page))['chelsea.png'];
  const r = golden.images.indexOf('chelsea.png');
  const shown = Object.entries(got ?? {});
  expect(shown.length).toBeGreaterThan(0);
  // 0.01: the tolerance of e2e/classify.spec.ts against the PyTorch reference (WASM fp32)
  for (const [c, logit] of shown) expect(Math.abs(logit - golden.logits_per_image[r][golden.texts.indexOf(c)]), `chelsea.png ${c}`).toBeLessThan(0.01);
}

test('a video file: classified live, a paused frame scores like that frame as a file; an unplayable file is named with its reason', async ({ page, host }) => {
  // ~60 s on an idle machine (recording 6 s of video, model load, several pauses, each classified)
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  // The clip: each fixture image for SEGMENT_S s, recorded by the browser itself (MediaRecorder, WebM).
  const clip = await recordWebm(page, SEGMENT_PATHS, { width: 160, height: 120, fps: 15, msPer: SEGMENT_S * 1000 });
  console.log(`clip.webm: ${clip.buffer.length} bytes, ${clip.mimeType}`);
  expect([...clip.buffer.subarray(0, 4)], 'an EBML (WebM) header').toEqual([0x1a, 0x45, 0xdf, 0xa3]);
  await waitModelReady(page);
  await setClasses(page, CLASSES);
  await page.getByTestId('live-source').selectOption('file');

  // A file that cannot play: the message names it and says why; nothing is on; the panel still works.
  await page.getByTestId('live-file').setInputFiles({ name: 'clip.mp4', mimeType: 'video/mp4', buffer: junkBytes() });
  await page.getByTestId('live-start').click();
  const err = page.getByTestId('live-error');
  await expect(err).toHaveAttribute('data-kind', 'unplayable');
  await expect(err).toHaveAttribute('data-failure', 'format');
  await expect(err).toContainText(`clip.mp4 cannot be played by this browser: ${en.live.videoFailures.format}`);
  console.log(`unplayable: ${await err.innerText()}`);
  await expect(page.getByTestId('camera-on')).toHaveCount(0);
  await expect(page.getByTestId('live-start')).toBeEnabled();

  // The WebM plays and is classified live.
  await page.getByTestId('live-file').setInputFiles({ name: 'clip.webm', mimeType: 'video/webm', buffer: clip.buffer });
  await page.getByTestId('live-start').click();
  await expect(page.getByTestId('camera-on')).toBeVisible();
  await expect(page.getByTestId('camera-on')).toContainText(en.live.sourceOn);
  await expect(err).toHaveCount(0);
  const stats = page.getByTestId('live-stats');
  await expect.poll(async () => Number(await stats.getAttribute('data-processed-fps')), { message: logs.join('\n') }).toBeGreaterThan(0);
  console.log(`video file: ${Number(await stats.getAttribute('data-camera-fps')).toFixed(1)} fps played, ${Number(await stats.getAttribute('data-processed-fps')).toFixed(1)} fps processed`);

  // Pause once in each segment of the video: the click comes when the video's clock is late in the
  // segment, so the frame in flight (grabbed at most one latency earlier) is from it on an idle machine;
  // a loaded one may land elsewhere, so the check is that pauses saw at least two different segments,
  // each told by its pixels. Every paused frame must score like the same PNG as a file.
  const seen = new Set<number>();
  for (let attempt = 0; attempt < 6 && seen.size < SEGMENT_IMAGES.length; attempt++) {
    const k = attempt % SEGMENT_IMAGES.length;
    const at = await page.getByTestId('live-video').evaluate(
      (v: HTMLVideoElement, [from, to]) =>
        new Promise<number>((resolve, reject) => {
          const t0 = performance.now();
          const tick = () => {
            if (v.currentTime >= from && v.currentTime < to) {
              (document.querySelector('[data-testid="live-pause"]') as HTMLButtonElement).click();
              resolve(v.currentTime);
            } else if (performance.now() - t0 > 30_000) reject(new Error(`the video never reached ${from} s (at ${v.currentTime} s)`));
            else requestAnimationFrame(tick);
          };
          tick();
        }),
      [(k + 0.6) * SEGMENT_S, (k + 0.9) * SEGMENT_S],
    );
    const r = await pauseMatchesStill(page, clip.segments, { clicked: true });
    // VP8 (4:2:0, limited range) moves pixels a few levels; the fixture images differ from each other by
    // far more, so the closest one names the frame's segment.
    expect(r.diffs[r.seg], `mean |frame - segment| ${r.diffs.map((d) => d.toFixed(1))}`).toBeLessThan(20);
    console.log(`paused at ${at.toFixed(2)} s (aimed at ${SEGMENT_IMAGES[k]}) on ${r.name}: segment ${SEGMENT_IMAGES[r.seg]} (mean |diff| ${r.diffs.map((d) => d.toFixed(1)).join(' / ')}), top-1 ${r.top1}`);
    seen.add(r.seg);
    await page.getByTestId('live-resume').click();
    await expect(page.getByTestId('live-pause')).toBeEnabled();
  }
  expect(seen.size, 'pauses landed on at least two segments of the video').toBeGreaterThanOrEqual(2);
  await page.getByTestId('live-stop').click();
  await expect(page.getByTestId('camera-on')).toHaveCount(0);
  expect(pageErrors(logs)).toEqual([]);
});

test('a camera unplugged mid-run: the message, the indicator off, and the rest of the panel still works', async ({ page, host }) => {
  test.setTimeout(180_000); // a loaded machine: model load, two camera starts, one classification
  const logs = collectConsole(page);
  await keepStreams(page);
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await setClasses(page, CLASSES);
  await startCamera(page, logs);

  // An unplugged camera's track ends: its readyState becomes 'ended' and it fires 'ended'. A page's own
  // stop() does the first but not the second (Media Capture spec), so the test does both, as the device would.
  await page.evaluate(() => {
    const t = window.__liveStreams.at(-1)!.getVideoTracks()[0];
    t.stop();
    t.dispatchEvent(new Event('ended'));
  });
  const err = page.getByTestId('live-error');
  await expect(err).toHaveAttribute('data-kind', 'ended');
  await expect(err).toContainText(en.live.errors.ended);
  await expect(page.getByTestId('camera-on')).toHaveCount(0);
  await expect(page.getByTestId('live-start')).toBeEnabled();
  expect(await page.getByTestId('live-video').evaluate((v: HTMLVideoElement) => v.srcObject)).toBeNull();
  expect(await allTracksEnded(page)).toBe(true);
  // processing stopped with the camera
  const last = await processedFrame(page);
  await page.waitForTimeout(1000);
  expect(await processedFrame(page), 'frames processed after the camera ended').toBe(last);

  await stillClassificationWorks(page);

  // Plugged back in: Start works again and clears the message.
  await startCamera(page, logs);
  await expect(err).toHaveCount(0);
  await expect.poll(() => processedFrame(page)).toBeGreaterThan(last);
  await page.getByTestId('live-stop').click();
  expect(await allTracksEnded(page)).toBe(true);
  expect(pageErrors(logs)).toEqual([]);
});

test('the camera goes off when the tab goes to the background: track stopped, indicator off', async ({ page, host }) => {
  test.setTimeout(180_000);
  const logs = collectConsole(page);
  await keepStreams(page);
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await setClasses(page, CLASSES);
  await startCamera(page, logs);
  expect(await allTracksEnded(page)).toBe(false);

  // Headless Chromium keeps every page visible, so the test plays the browser's part: the document
  // reports 'hidden' and gets the visibilitychange event it would get when the tab goes to the background.
  const setHidden = (hidden: boolean) =>
    page.evaluate((hidden) => {
      if (hidden) {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      } else {
        // the instance's properties shadow the real getters: removing them restores the browser's own
        delete (document as { visibilityState?: unknown }).visibilityState;
        delete (document as { hidden?: unknown }).hidden;
      }
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);

  await setHidden(true);
  await expect(page.getByTestId('camera-on')).toHaveCount(0);
  await expect(page.getByTestId('live-hidden')).toHaveText(en.live.stoppedHidden);
  await expect.poll(() => allTracksEnded(page)).toBe(true);
  expect(await page.getByTestId('live-video').evaluate((v: HTMLVideoElement) => v.srcObject)).toBeNull();
  const last = await processedFrame(page);
  await page.waitForTimeout(1000);
  expect(await processedFrame(page), 'frames processed while hidden').toBe(last);

  // Back in front: the camera stays off until the user presses Start (no camera turned on unasked).
  await setHidden(false);
  expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('camera-on')).toHaveCount(0);
  const streams = await page.evaluate(() => window.__liveStreams.length);
  await startCamera(page, logs);
  await expect(page.getByTestId('live-hidden')).toHaveCount(0);
  expect(await page.evaluate(() => window.__liveStreams.length)).toBe(streams + 1);
  await expect.poll(() => processedFrame(page)).toBeGreaterThan(last);
  expect(pageErrors(logs)).toEqual([]);
});
