// The lab itself, as it ships: `vite build` of the app into bench/dist-app/ (git-ignored), served by
// bench/server.ts under /app/ (COOP/COEP and the built Content-Security-Policy, as `vite preview`
// sends them), driven through its UI in Chromium: the CLIP panel opened with
// `?host=<bench hub>&model=bench/<name>&device=wasm&dtype=<dtype>`, the images dropped through the
// file input, custom classes, Classify, timed until `run-status` says done. Everything runs in the
// lab's own CLIP worker (app/workers/clip.worker.ts → src/pipeline/embed-images.ts).
//
// Cold runs: each run opens a FRESH browser context (empty IndexedDB, so no cached image
// embeddings or saved results; empty Cache API; a new CLIP worker, so no text-embedding cache;
// the model downloaded again from the bench server, outside the timed part). The service worker
// is blocked: the server already sends COOP/COEP, and its install-time precaching would compete
// with the timed run. Each run checks `data-computed` = N: every embedding was computed, none cached.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { benchDir, repoDir } from './server';

export const appDistDir = join(benchDir, 'dist-app');

/** `vite build` of the lab with its own config (vite.config.ts), into bench/dist-app/. */
export async function buildApp(): Promise<void> {
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
  const { build } = await import('vite');
  await build({ root: repoDir, configFile: join(repoDir, 'vite.config.ts'), logLevel: 'error',
    build: { outDir: appDistDir, emptyOutDir: true } });
}

export interface LabRunArgs {
  /** the lab's URL (ends with /app/) and the Hub-layout host the lab loads the model from */
  siteUrl: string; hubUrl: string;
  /** model id on the hub, e.g. bench/clip-vit-base-patch32-placeholder */
  model: string; dtype: 'fp32' | 'q8';
  /** image files on disk, dropped through the file input */
  files: string[]; labels: string[]; template?: string;
  /** elapsed time when the run's done count reaches each of these */
  checkpoints?: number[];
  /** called once the page is open and the model loaded, before Classify (e.g. to start sampling memory) */
  beforeClassify?: (info: { labRendererPids: number[] }) => Promise<void>;
  timeoutMs?: number;
}

export interface LabRunResult {
  images: number; computed: number; status: string; errors_text: string;
  /** ms: page open → model ready; Classify click → first batch scored; click → done */
  load_ms: number; first_result_ms: number; classify_ms: number;
  /** ms from the click: text encoding done (progress "N / N"), and each change of the done count */
  text_ms: number; batches: { done: number; ms: number }[];
  /** epoch ms of the click and of the end (to match CPU and memory samples taken outside) */
  classify_start_epoch_ms: number; end_epoch_ms: number;
  checkpoints: { images: number; ms: number; epoch_ms: number }[];
  threads: number; device: string; dtype: string; cross_origin_isolated: boolean;
}

/** One cold run of the shipped lab (fresh context, see above). */
export async function runLab(browser: Browser, a: LabRunArgs): Promise<LabRunResult> {
  const timeout = a.timeoutMs ?? 30 * 60_000;
  const { chromeProcesses } = await import('./memory');
  const before = new Set((await chromeProcesses(browser)).filter((p) => p.type === 'renderer').map((p) => p.id));
  const ctx = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 860 } });
  try {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.error(`[lab page error] ${e.message}`));
    page.on('console', (m) => { if (process.env.BENCH_VERBOSE) console.error(`[lab] ${m.text()}`); });
    const q = new URLSearchParams({ host: a.hubUrl, model: a.model, device: 'wasm', dtype: a.dtype });
    const t0 = Date.now();
    await page.goto(`${a.siteUrl}?${q}#/clip`);
    const ready = page.getByTestId('model-ready');
    const failed = page.getByTestId('model-error');
    await ready.or(failed).first().waitFor({ state: 'visible', timeout: 10 * 60_000 });
    if (await failed.isVisible()) throw new Error(`the lab could not load the model: ${await failed.innerText()}`);
    const loadMs = Date.now() - t0;
    const info = await page.evaluate(async () => {
      const m = (await window.__lab.model()) as { threads?: number; device?: string; dtype?: string } | null;
      return { threads: m?.threads ?? 0, device: m?.device ?? '?', dtype: m?.dtype ?? '?', isolated: window.__lab.crossOriginIsolated };
    });
    // Playwright hands local files to Chromium by path (no copy over the protocol).
    await page.getByTestId('file-input').setInputFiles(a.files);
    await page.getByTestId('preset').selectOption('custom');
    await page.getByTestId('classes').fill(a.labels.join('\n'));
    await page.getByTestId('template').fill(a.template ?? 'a photo of a {}.');
    const button = page.getByTestId('classify');
    await button.waitFor({ state: 'visible' });
    await page.waitForFunction(() => !(document.querySelector('[data-testid=classify]') as HTMLButtonElement | null)?.disabled, null, { timeout: 10 * 60_000 });
    const labRendererPids = (await chromeProcesses(browser)).filter((p) => p.type === 'renderer' && !before.has(p.id)).map((p) => p.id);
    await a.beforeClassify?.({ labRendererPids });
    // Click and watch in the page: a MutationObserver on the status element timestamps each
    // change of the done count (progress bar's aria-valuetext, "N of M images") and the end.
    type Watched = {
      status: string; computed: number; first_ms: number; total_ms: number; text_ms: number; batches: { done: number; ms: number }[]; start_epoch: number; end_epoch: number;
      checkpoints: { images: number; ms: number; epoch_ms: number }[]; errors_text: string;
    };
    // Plain JavaScript in a string: tsx would wrap named functions in a helper the page lacks.
    const r = await page.evaluate<Watched>(`new Promise((resolve, reject) => {
      const checkpoints = ${JSON.stringify(a.checkpoints ?? [])};
      const timeout = ${timeout};
      const status = document.querySelector('[data-testid=run-status]');
      const button = document.querySelector('[data-testid=classify]');
      const wanted = [...checkpoints].sort((x, y) => x - y);
      const got = [];
      let firstMs = 0;
      let textMs = 0;
      let lastDone = 0;
      const batches = [];
      let started = false;
      const t0 = performance.now();
      const check = () => {
        const s = status.getAttribute('data-status') ?? '';
        if (s === 'text' || s === 'running') started = true;
        const text = status.querySelector('[role=progressbar]')?.getAttribute('aria-valuetext') ?? '';
        const done = s === 'running' ? Number(/^\\s*(\\d[\\d,.\\s\\u202f]*)/.exec(text)?.[1].replace(/\\D/g, '') ?? 0) : 0;
        const t = performance.now();
        if (done > 0 && !firstMs) firstMs = t - t0;
        if (done > lastDone) { lastDone = done; batches.push({ done, ms: Math.round(t - t0) }); }
        // the text phase ends when its progress reads "N / N" (or the first batch is in)
        const tm = s === 'text' ? /^(\\d+) \\/ (\\d+)/.exec(text) : null;
        if (!textMs && ((tm && tm[1] === tm[2] && Number(tm[2]) > 0) || done > 0)) textMs = t - t0;
        while (wanted.length && done >= wanted[0]) got.push({ images: wanted.shift(), ms: t - t0, epoch_ms: performance.timeOrigin + t });
        if (started && /^(done|cancelled|error)$/.test(s)) {
          obs.disconnect();
          clearInterval(poll);
          clearTimeout(late);
          const total = t - t0;
          for (const w of wanted) got.push({ images: w, ms: total, epoch_ms: performance.timeOrigin + t });
          resolve({ status: s, computed: Number(status.getAttribute('data-computed') ?? 0), first_ms: firstMs || total, total_ms: total, text_ms: textMs || firstMs || total, batches,
            start_epoch: performance.timeOrigin + t0, end_epoch: performance.timeOrigin + t, checkpoints: got,
            errors_text: s === 'done' ? '' : status.innerText });
        }
      };
      const obs = new MutationObserver(check);
      obs.observe(status, { attributes: true, childList: true, subtree: true, characterData: true });
      const poll = setInterval(check, 100);
      const late = setTimeout(() => { obs.disconnect(); clearInterval(poll); reject(new Error(\`no end of run after \${timeout} ms\`)); }, timeout);
      button.click();
    })`);
    // Let the CPU sampler (100 ms) see the renderer once more after the end, before it goes away.
    await page.waitForTimeout(300);
    if (r.status !== 'done') throw new Error(`the lab's run ended "${r.status}": ${r.errors_text}`);
    if (r.computed !== a.files.length) throw new Error(`the lab computed ${r.computed} of ${a.files.length} embeddings (the rest came from a cache: not a cold run)`);
    return {
      images: a.files.length, computed: r.computed, status: r.status, errors_text: r.errors_text,
      load_ms: loadMs, first_result_ms: r.first_ms, classify_ms: r.total_ms, text_ms: r.text_ms, batches: r.batches,
      classify_start_epoch_ms: r.start_epoch, end_epoch_ms: r.end_epoch, checkpoints: r.checkpoints,
      threads: info.threads, device: info.device, dtype: info.dtype, cross_origin_isolated: info.isolated,
    };
  } finally {
    await ctx.close();
  }
}
