/**
 * Privacy of the live path (issue 17, "nothing leaves the tab"), the live counterpart of
 * e2e/security.spec.ts's full-session test: a session with the camera (classify, record, export,
 * pause), a video file, and live segmentation contacts only the site and the model host, with GET and
 * HEAD only (no request carries a body, so no frame can ride in one), no URL names a frame or file,
 * no request body holds frame bytes, the page opens no WebSocket, WebRTC connection, EventSource or
 * beacon, and the Content-Security-Policy reports nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Request } from '@playwright/test';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, collectConsole, golden, GOLDEN_CLASS_INDEXES, setClasses, TINY_CLIP, waitModelReady } from './helpers';
import { recordWebm, writeY4m } from './fake-camera';
import { fakeCameraUse } from './live-helpers';

const CLASSES = GOLDEN_CLASS_INDEXES.map((i) => golden.texts[i]);
const SEGMENT_PATHS = ['astronaut.png', 'chelsea.png', 'coffee.png'].map((n) => join(CLIP_GOLDEN_DIR, n));
const CLIP_PATH = join(tmpdir(), `lab-live-privacy-${process.pid}.y4m`);
writeY4m(CLIP_PATH, SEGMENT_PATHS, { width: 160, height: 120, fps: 10, framesPer: 10 });
test.use(fakeCameraUse(CLIP_PATH));

declare global {
  interface Window {
    __egress: string[];
    __violations: string[];
  }
}

/** 48 bytes from the middle of `b` (or after it) with at least 12 distinct values: a needle nothing else holds by chance. */
function needle(b: Uint8Array): Buffer {
  for (let i = Math.floor(b.length / 2); i + 48 <= b.length; i += 16) {
    const s = b.subarray(i, i + 48);
    if (new Set(s).size >= 12) return Buffer.from(s);
  }
  throw new Error('no varied 48-byte run to look for');
}

test('a live session (camera, video file, live segmentation) contacts only the site and the model host and sends no frame', async ({ page, context, host }) => {
  // ~90 s on an idle machine: two models, a camera run, a recorded video, live segmentation
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  const seen = new Map<Request, string>();
  const record = (r: Request) => seen.set(r, r.url());
  page.on('request', record);
  context.on('request', record);
  const sockets: string[] = [];
  page.on('websocket', (w) => sockets.push(w.url()));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    // Ways out of a tab that are not an HTTP request the browser reports as one: count every use.
    window.__egress = [];
    const w = window as unknown as Record<string, unknown>;
    for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'WebSocket', 'EventSource', 'WebTransport']) {
      const C = w[name] as (new (...a: unknown[]) => object) | undefined;
      if (typeof C !== 'function') continue;
      w[name] = new Proxy(C, {
        construct(t, a) {
          window.__egress.push(name);
          return Reflect.construct(t, a) as object;
        },
      });
    }
    const beacon = navigator.sendBeacon?.bind(navigator);
    if (beacon)
      navigator.sendBeacon = (...a: Parameters<Navigator['sendBeacon']>) => {
        window.__egress.push('sendBeacon');
        return beacon(...a);
      };
  });

  const q = new URLSearchParams({ host: host.url, model: TINY_CLIP, segModel: 'fixtures/tiny-random-clipseg', device: 'wasm', dtype: 'fp32' });
  await page.goto(`./?${q}#/clip`);
  const clip = await recordWebm(page, SEGMENT_PATHS, { width: 160, height: 120, fps: 15, msPer: 800 });
  await waitModelReady(page);
  await setClasses(page, CLASSES);
  const processed = async (testid: string) =>
    expect.poll(async () => Number(await page.getByTestId(testid).getAttribute('data-processed-fps')), { message: logs.join('\n') }).toBeGreaterThan(0);

  // The camera: classify, record and export, pause on a frame (it becomes an image, classified).
  await page.getByTestId('live-start').click();
  await expect(page.getByTestId('camera-on')).toBeVisible();
  await processed('live-stats');
  await page.getByTestId('live-record').click();
  const from = Number(await page.getByTestId('live-top').getAttribute('data-frame'));
  await expect.poll(async () => Number(await page.getByTestId('live-top').getAttribute('data-frame'))).toBeGreaterThanOrEqual(from + 2);
  await page.getByTestId('live-record').click();
  for (const fmt of ['jsonl', 'csv']) {
    const dl = page.waitForEvent('download');
    await page.getByTestId(`live-export-${fmt}`).click();
    expect((await dl).suggestedFilename()).toBe(`live-session.${fmt}`);
  }
  await page.getByTestId('live-pause').click();
  await expect(page.getByTestId('live-paused-top')).toBeVisible();
  const pausedName = `live-frame-${await page.getByTestId('live-paused-top').getAttribute('data-frame')}.png`;
  const pausedPng = Buffer.from(await page.getByTestId('live-paused-image').evaluate(async (img: HTMLImageElement) => Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))));
  await expect(page.locator(`[data-testid="result-card"][data-name="${pausedName}"] li[data-class]`).first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('live-stop').click();
  await expect(page.getByTestId('camera-on')).toHaveCount(0);

  // A video file.
  await page.getByTestId('live-source').selectOption('file');
  await page.getByTestId('live-file').setInputFiles({ name: 'private-clip.webm', mimeType: 'video/webm', buffer: clip.buffer });
  await page.getByTestId('live-start').click();
  await expect(page.getByTestId('camera-on')).toBeVisible();
  await processed('live-stats');
  await page.getByTestId('live-stop').click();

  // Live segmentation on the camera, paused on a frame (it becomes the panel's image).
  await page.getByTestId('tab-segment').click();
  await expect(page.getByTestId('seg-model-ready')).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('seg-prompt-input').fill('a cat');
  await page.getByTestId('seg-prompt-input').press('Enter');
  await page.getByTestId('seg-live-start').click();
  await expect(page.getByTestId('seg-camera-on')).toBeVisible();
  await processed('seg-live-stats');
  await page.getByTestId('seg-live-pause').click();
  await expect(page.getByTestId('seg-image-info')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('seg-live-stop').click();

  const site = new URL(page.url()).origin;
  const modelHost = new URL(host.url).origin;
  const requests = [...seen.entries()];
  const origins = new Set(requests.map(([, u]) => (/^(blob|data):/.test(u) ? u.split(':')[0] + ':' : new URL(u).origin)));
  console.log(`live privacy: ${requests.length} requests, origins: ${[...origins].join(', ')}; ${host.requests.length} to the model host`);
  expect(requests.length).toBeGreaterThan(10);
  for (const o of origins) expect([site, modelHost, 'blob:', 'data:'], `unexpected origin ${o}`).toContain(o);
  // the model host saw model files only
  expect(host.requests.length).toBeGreaterThan(0);
  for (const r of host.requests) expect(r).toMatch(/^(GET|HEAD|OPTIONS) \/fixtures\/tiny-random-clip(seg)?\/resolve\/main\/[\w./-]+( bytes=\d+-\d*)?$/);
  // GET and HEAD only: no request carries a body at all
  expect(requests.filter(([r, u]) => !/^(blob|data):/.test(u) && !['GET', 'HEAD'].includes(r.method())).map(([r, u]) => `${r.method()} ${u}`)).toEqual([]);
  // and, were one to, none holds a frame's bytes (camera clip, paused PNG, video file), nor names a frame or file
  const needles = [needle(readFileSync(CLIP_PATH)), needle(pausedPng), needle(clip.buffer)];
  const names = ['live-frame-', 'private-clip', 'live-session'];
  for (const [req, url] of requests) {
    if (/^(blob|data):/.test(url)) continue;
    const body = req.postDataBuffer() ?? Buffer.alloc(0);
    for (const n of names) {
      expect(decodeURIComponent(url), url).not.toContain(n);
      expect(body.includes(n), `${url} body has ${n}`).toBe(false);
    }
    for (const b of needles) expect(body.includes(b), `${url} body has frame bytes`).toBe(false);
  }
  expect(sockets, 'WebSockets opened').toEqual([]);
  expect(await page.evaluate(() => window.__egress), 'WebRTC, WebSocket, EventSource, WebTransport or beacon used').toEqual([]);
  expect(await page.evaluate(() => window.__violations), logs.join('\n')).toEqual([]);
  expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});
