// Live camera figures (issue 17): processed fps and latency per frame of the lab's live zero-shot
// classification (CLIP panel, Live section) and live segmentation (segmentation panel), measured on
// the BUILT lab (bench/dist-app, the same site as the pipeline figures) driven through its UI in a
// Chromium of its own with a fake camera (`--use-fake-device-for-media-stream
// --use-fake-ui-for-media-stream --use-file-for-fake-video-capture=<y4m>`, the way e2e/live.spec.ts
// drives it). The clip is made from the bench's generated photos (e2e/fake-camera.ts writeY4m).
//
// Each run is cold, like the pipeline's: a fresh browser context, the model downloaded and loaded,
// the live loop started from its Start button, a warm-up, then a window of N seconds during which
// the page timestamps every processed frame (the frame number the UI shows changes: `live-top`
// data-frame for classification, `seg-live-stats` data-frame for segmentation) and reads the
// latency the UI shows with it (`data-latency`: the mean over its last 30 frames, from which each
// frame's own latency is recovered exactly, every frame being seen from the first).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from './browser';
import { benchDir } from './server';
import { writeY4m } from '../e2e/fake-camera';

/** frames in the UI's latency mean (src/live/meters.ts LatencyMeter's default size) */
const LATENCY_WINDOW = 30;

export const FAKE_CAMERA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** A 640×480, 30 fps Y4M clip of 3 one-second segments made from bench photos (cached in bench/.cache/live/). */
export async function makeClip(photos: string[], o: { width?: number; height?: number; fps?: number } = {}): Promise<string> {
  const width = o.width ?? 640, height = o.height ?? 480, fps = o.fps ?? 30;
  const dir = join(benchDir, '.cache', 'live');
  mkdirSync(dir, { recursive: true });
  const y4m = join(dir, `clip-${width}x${height}-${fps}fps-${photos.length}.y4m`);
  if (existsSync(y4m)) return y4m;
  const pngs: string[] = [];
  for (const [i, p] of photos.entries()) {
    const png = join(dir, `frame-${i}-${width}x${height}.png`);
    if (!existsSync(png)) await sharp(p).resize(width, height, { fit: 'fill' }).removeAlpha().png().toFile(png);
    pngs.push(png);
  }
  writeY4m(y4m, pngs, { width, height, fps, framesPer: fps });
  return y4m;
}

/** Chromium with the bench's usual flags plus a fake camera playing `y4m`. */
export async function launchWithCamera(y4m: string): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: [...CHROMIUM_ARGS, ...FAKE_CAMERA_ARGS, `--use-file-for-fake-video-capture=${y4m}`] });
}

export interface LiveArgs {
  task: 'classify' | 'segment';
  siteUrl: string; hubUrl: string;
  /** model id on the bench hub, e.g. bench/clip-vit-base-patch32-placeholder */
  model: string; dtype: 'fp32' | 'q8';
  /** classification: class names (template "a photo of a {}."); segmentation: prompts */
  labels: string[];
  warmupS: number; windowS: number;
}

export interface LiveResult {
  /** processed frames per second over the window: (last frame − first frame) / (their time apart) */
  processed_fps: number;
  /** median over the window of each frame's latency (ms; grab → result, as the UI measures it) */
  latency_ms: number;
  /** 'per frame' (recovered from the UI's 30-frame mean, see runLive) or 'ui mean of 30' (a frame was missed) */
  latency_from: string;
  /** the UI's own latency figure at the end of the window (mean of its last 30 frames) */
  latency_ui_mean_ms: number;
  /** median time between two processed frames (ms) */
  interval_ms: number;
  /** the UI's own figures at the end of the window (2 s sliding window) */
  ui_processed_fps: number; ui_camera_fps: number;
  frames: number; window_s: number;
  /** frames the newest-frame-wins scheduler dropped during the window (null where the UI does not show it) */
  dropped: number | null;
  model_ready_s: number; threads: number; device: string; dtype: string; cross_origin_isolated: boolean;
}

/** One cold run of a live section of the shipped lab (see the top of this file). */
export async function runLive(browser: Browser, a: LiveArgs): Promise<LiveResult> {
  const ctx = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 860 }, permissions: ['camera'] });
  try {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.error(`[live page error] ${e.message}`));
    page.on('console', (m) => { if (process.env.BENCH_VERBOSE) console.error(`[live] ${m.text()}`); });
    const seg = a.task === 'segment';
    const q = new URLSearchParams({ host: a.hubUrl, [seg ? 'segModel' : 'model']: a.model, device: 'wasm', dtype: a.dtype });
    const t0 = Date.now();
    await page.goto(`${a.siteUrl}?${q}#/${seg ? 'segment' : 'clip'}`);
    const ready = page.getByTestId(seg ? 'seg-model-ready' : 'model-ready');
    const failed = page.getByTestId(seg ? 'seg-model-error' : 'model-error');
    await ready.or(failed).first().waitFor({ state: 'visible', timeout: 10 * 60_000 });
    if (await failed.isVisible()) throw new Error(`the lab could not load the model: ${await failed.innerText()}`);
    const modelReadyS = (Date.now() - t0) / 1000;
    let info = { threads: 0, device: '?', dtype: '?', isolated: false };
    if (seg) {
      for (const p of a.labels) {
        await page.getByTestId('seg-prompt-input').fill(p);
        await page.getByTestId('seg-prompt-input').press('Enter');
      }
      info.isolated = await page.evaluate(() => window.__lab.crossOriginIsolated);
    } else {
      info = await page.evaluate(async () => {
        const m = (await window.__lab.model()) as { threads?: number; device?: string; dtype?: string } | null;
        return { threads: m?.threads ?? 0, device: m?.device ?? '?', dtype: m?.dtype ?? '?', isolated: window.__lab.crossOriginIsolated };
      });
      await page.getByTestId('preset').selectOption('custom');
      await page.getByTestId('classes').fill(a.labels.join('\n'));
      await page.getByTestId('template').fill('a photo of a {}.');
    }
    const ids = seg
      ? { start: 'seg-live-start', on: 'seg-camera-on', stats: 'seg-live-stats', frame: 'seg-live-stats', error: 'seg-live-error' }
      : { start: 'live-start', on: 'camera-on', stats: 'live-stats', frame: 'live-top', error: 'live-error' };
    // Every processed frame from the first one, timestamped in the page: the frame number the UI
    // shows and the latency it shows with it (the mean of its last 30 frames; see below).
    // Plain JavaScript in a string (tsx would wrap named functions in a helper the page lacks).
    await page.evaluate(`(() => {
      const frameEl = () => document.querySelector('[data-testid=${ids.frame}]');
      const statsEl = () => document.querySelector('[data-testid=${ids.stats}]');
      const w = window.__benchLive = { samples: [] };
      let last = 0;
      const check = () => {
        const f = Number(frameEl()?.getAttribute('data-frame') ?? 0);
        if (f > last) {
          last = f;
          const s = statsEl();
          w.samples.push({ t: performance.now(), frame: f, latency: Number(s?.getAttribute('data-latency') ?? NaN), dropped: Number(s?.getAttribute('data-dropped') ?? NaN) });
        }
      };
      new MutationObserver(check).observe(document.body, { childList: true, attributes: true, attributeFilter: ['data-frame', 'data-latency'], subtree: true });
    })()`);
    await page.getByTestId(ids.start).click();
    const on = page.getByTestId(ids.on);
    const camErr = page.getByTestId(ids.error);
    await on.or(camErr).first().waitFor({ state: 'visible', timeout: 60_000 });
    if (await camErr.isVisible()) throw new Error(`the camera did not start: ${await camErr.innerText()}`);
    const stats = page.getByTestId(ids.stats);
    await stats.waitFor({ state: 'visible', timeout: 60_000 });
    // First processed frame, then the warm-up (first frames pay for lazy initialisation).
    await page.waitForFunction((id) => Number(document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-processed-fps')) > 0, ids.stats, { timeout: 5 * 60_000 });
    if (seg) {
      // the segmentation model's backend and dtype, as its stats line shows them
      info.device = (await stats.getAttribute('data-backend')) ?? '?';
      info.dtype = (await stats.getAttribute('data-dtype')) ?? '?';
    }
    await page.waitForTimeout(a.warmupS * 1000);
    const from = await page.evaluate<number>('performance.now()');
    await page.waitForTimeout(a.windowS * 1000);
    type Sample = { t: number; frame: number; latency: number; dropped: number };
    const w = await page.evaluate<{ samples: Sample[]; to: number; procFps: number; camFps: number }>(`(() => {
      const s = document.querySelector('[data-testid=${ids.stats}]');
      return { samples: window.__benchLive.samples, to: performance.now(), procFps: Number(s?.getAttribute('data-processed-fps') ?? 0), camFps: Number(s?.getAttribute('data-camera-fps') ?? 0) };
    })()`);
    // The UI shows the mean latency of its last 30 frames (src/live LatencyMeter). With every frame
    // seen from the first, each frame's own latency follows exactly: L_k = k·m_k − (k−1)·m_(k−1) for
    // k ≤ 30, L_k = 30·(m_k − m_(k−1)) + L_(k−30) after. A missed frame number ends the reconstruction
    // (the UI's mean is then reported instead, and `latency_from` says so).
    const perFrame = new Map<number, number>();
    const all = w.samples;
    const contiguous = all.length > 0 && all.every((x, i) => x.frame === i + 1);
    if (contiguous) {
      const m = all.map((x) => x.latency);
      const L: number[] = [];
      for (let k = 1; k <= m.length; k++) {
        L[k] = k <= LATENCY_WINDOW ? k * m[k - 1] - (k - 1) * (m[k - 2] ?? 0) : LATENCY_WINDOW * (m[k - 1] - m[k - 2]) + L[k - LATENCY_WINDOW];
        perFrame.set(k, L[k]);
      }
    }
    const s = all.filter((x) => x.t >= from && x.t <= w.to);
    if (s.length < 2) throw new Error(`only ${s.length} frame(s) processed in the ${a.windowS} s window`);
    const med = (v: number[]) => { const x = [...v].sort((p, q2) => p - q2); const mid = x.length >> 1; return x.length % 2 ? x[mid] : (x[mid - 1] + x[mid]) / 2; };
    const span = s[s.length - 1].t - s[0].t;
    const intervals = s.slice(1).map((x, i) => (x.t - s[i].t) / (x.frame - s[i].frame));
    const own = s.map((x) => perFrame.get(x.frame)).filter((x): x is number => x !== undefined && Number.isFinite(x) && x > 0);
    const shown = s.map((x) => x.latency).filter((x) => Number.isFinite(x) && x > 0);
    const dropped = Number.isFinite(s[s.length - 1].dropped) && Number.isFinite(s[0].dropped) ? s[s.length - 1].dropped - s[0].dropped : null;
    return {
      processed_fps: ((s[s.length - 1].frame - s[0].frame) * 1000) / span,
      latency_ms: own.length === s.length ? med(own) : shown.length ? med(shown) : NaN,
      latency_from: own.length === s.length ? 'per frame' : 'ui mean of 30',
      latency_ui_mean_ms: shown.length ? shown[shown.length - 1] : NaN,
      interval_ms: med(intervals),
      ui_processed_fps: w.procFps, ui_camera_fps: w.camFps,
      frames: s[s.length - 1].frame - s[0].frame + 1, window_s: a.windowS, dropped,
      model_ready_s: modelReadyS, threads: info.threads, device: info.device, dtype: info.dtype, cross_origin_isolated: info.isolated,
    };
  } finally {
    await ctx.close();
  }
}

/** The `live.*` results from the repetitions (runs.live): per variant, the median over repetitions with min/max. */
export function liveResults(rows: Record<string, unknown>[]): { name: string; value: number; unit: string; extra: Record<string, unknown> }[] {
  const med = (v: number[]) => { const x = v.filter(Number.isFinite).sort((p, q) => p - q); const m = x.length >> 1; return !x.length ? NaN : x.length % 2 ? x[m] : (x[m - 1] + x[m]) / 2; };
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  const spread = (v: number[]) => ({ median_of: v.length, min: r3(Math.min(...v)), max: r3(Math.max(...v)) });
  const out: { name: string; value: number; unit: string; extra: Record<string, unknown> }[] = [];
  for (const key of [...new Set(rows.map((r) => String(r.variant)))]) {
    const mine = rows.filter((r) => r.variant === key && !r.failed);
    const failed = rows.filter((r) => r.variant === key && r.failed).length;
    if (!mine.length) continue;
    const [task, dtype, prompts] = key.split('.');
    const fps = mine.map((r) => Number(r.processed_fps));
    const lat = mine.map((r) => Number(r.latency_ms));
    const what = task === 'classify'
      ? `CLIP panel, Live section (app/panels/clip/useLiveClassify.ts → CLIP worker classifyFrame), 10 classes, WASM ${dtype}`
      : `segmentation panel, live (app/panels/segment/LiveSegment.tsx → segmentation worker segmentFrame), ${(prompts ?? '1').replace('_', ' ')}, WASM ${dtype}`;
    out.push({ name: `live.${key}.processed_fps`, value: med(fps), unit: 'fps', extra: { ...spread(fps), runs: fps, failed_runs: failed,
      camera_fps: r3(med(mine.map((r) => Number(r.camera_fps)))), window_s: mine[0].window_s, load_before: mine.map((r) => (r.load_before as number[])[0]), what } });
    out.push({ name: `live.${key}.latency_ms`, value: med(lat), unit: 'ms', extra: { ...spread(lat), runs: lat,
      interval_ms: r3(med(mine.map((r) => Number(r.interval_ms)))), latency_from: [...new Set(mine.map((r) => r.latency_from))].join(', '),
      what: "per frame: grab (createImageBitmap) → result back, as the UI times it; each frame's own value recovered from the UI's 30-frame mean (data-latency), median over the window" } });
  }
  return out;
}

// `npx tsx bench/live.ts <file.json>`: recomputes the `live.*` results of a saved run from its runs.live.
if (process.argv[1] && /bench[/\\]live\.ts$/.test(process.argv[1]) && process.argv[2]) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const file = process.argv[2];
  const j = JSON.parse(readFileSync(file, 'utf8')) as { runs: Record<string, Record<string, unknown>[]>; results: { name: string }[]; notes: string[] };
  const fresh = liveResults(j.runs.live ?? []).map((r) => ({ name: r.name, value: Math.round(r.value * 1000) / 1000, unit: r.unit, ...r.extra }));
  j.results = [...j.results.filter((r) => !r.name.startsWith('live.')), ...fresh];
  writeFileSync(file, `${JSON.stringify(j, null, 1)}\n`);
  console.error(`${file}: ${fresh.length} live results from ${(j.runs.live ?? []).length} runs`);
}
