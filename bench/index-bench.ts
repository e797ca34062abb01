// Embedding-index figures (issue 18):
// (a) `cli embed` throughput per shard: the real CLI (src/cli/main.ts → src/cli/embed.ts, run as
//     `npm run -s cli` runs it: tsx) in a child process, `--shard 0/2` of a list file naming 2N of the
//     bench's generated photos, so one shard embeds N images into a fresh --out folder;
// (b) search latency per query over synthetic normalised 512-d rows (100k and 1M), written once with
//     the project's own writer (src/index-store/schema.ts indexTable + src/cli/index-parquet.ts
//     writePart, the code `cli embed` writes with; 20,000 rows per part as `embed` writes them) and
//     cached under bench/.cache/index/:
//     - in the browser, through the BUILT lab's explore panel and its index worker
//       (app/workers/index.worker.ts): the folder dropped on `index-folder-input`, queries typed in
//       `index-query`, timed in the page from the input event to the hits rendered, and the
//       worker's own ranking time (`index-meta` data-rank-ms);
//     - in Node, through `cli search --index` (src/cli/search-index.ts: DuckDB over the Parquet
//       files) in a child process per query, as a user runs it; the same run over a 1,000-row index
//       gives the fixed part (process start, model load, query encoding) to subtract.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { benchDir, repoDir } from './server';
import type { IndexRow } from '../src/index-store/schema';

const CACHE = join(benchDir, '.cache', 'index');
/** rows per part file, as `cli embed` writes them (its DEFAULT_PART_ROWS) */
export const PART_ROWS = 20_000;

/** mulberry32: deterministic uniform [0, 1) */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic index of `rows` L2-normalised `dim`-d rows (approximately Gaussian directions), written
 * with the project's writer; cached (a `_synthetic.json` written last marks a complete folder).
 */
export async function syntheticIndex(rows: number, dim: number, model: string, dtype: string): Promise<string> {
  const tag = rows >= 1_000_000 && rows % 1_000_000 === 0 ? `${rows / 1_000_000}m` : rows >= 1000 && rows % 1000 === 0 ? `${rows / 1000}k` : String(rows);
  const dir = join(CACHE, `synthetic-${tag}-d${dim}`);
  const meta = { rows, dim, model, dtype, part_rows: PART_ROWS, seed: 1, version: 1 };
  const metaFile = join(dir, '_synthetic.json');
  if (existsSync(metaFile) && readFileSync(metaFile, 'utf8') === JSON.stringify(meta)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { writePart } = await import('../src/cli/index-parquet');
  const { partName } = await import('../src/index-store/shard');
  const rand = rng(meta.seed);
  const t0 = performance.now();
  for (let k = 0, at = 0; at < rows; k++) {
    const n = Math.min(PART_ROWS, rows - at);
    const flat = new Float32Array(n * dim);
    for (let i = 0; i < flat.length; i++) flat[i] = rand() + rand() + rand() + rand() - 2; // Irwin–Hall, ≈ Gaussian
    const part: IndexRow[] = [];
    for (let r = 0; r < n; r++) {
      const e = flat.subarray(r * dim, (r + 1) * dim);
      let ss = 0;
      for (let j = 0; j < dim; j++) ss += e[j] * e[j];
      const inv = 1 / Math.sqrt(ss);
      for (let j = 0; j < dim; j++) e[j] *= inv;
      const i = at + r;
      const label = `class-${String(i % 100).padStart(3, '0')}`;
      const path = `synthetic/${label}/img-${String(i).padStart(7, '0')}.jpg`;
      part.push({ path, sha256: createHash('sha256').update(path).digest('hex'), width: 480, height: 360, label, model, dtype, embedding: e });
    }
    await writePart(dir, partName(0, k), part, dim);
    at += n;
  }
  writeFileSync(metaFile, JSON.stringify(meta));
  console.error(`  wrote ${rows} synthetic rows into ${dir} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return dir;
}

/**
 * A folder whose last two path segments are the lab's name of the model (`bench/<name>`), linked to
 * the model folder: `cli search --index` compares the index's `model` column with `--model` on their
 * last two segments (src/index-store/model-match.ts), and the lab knows the model as `bench/<name>`.
 */
export function modelLink(modelDir: string, labName: string): string {
  const link = join(benchDir, '.cache', 'hub', labName);
  mkdirSync(dirname(link), { recursive: true });
  if (existsSync(link) || lstatSync(link, { throwIfNoEntry: false })) {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === modelDir) return link;
    unlinkSync(link);
  }
  symlinkSync(modelDir, link, 'dir');
  return link;
}

const cliArgs = (args: string[]) => ['--import', 'tsx', join(repoDir, 'src/cli/main.ts'), ...args];

function runCli(args: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string; wall_s: number }> {
  const t0 = performance.now();
  return new Promise((ok) => {
    execFile(process.execPath, cliArgs(args), { cwd: repoDir, maxBuffer: 1 << 26, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      ok({ code, stdout, stderr, wall_s: (performance.now() - t0) / 1000 });
    });
  });
}

export interface EmbedRun {
  images: number; wall_s: number; embed_s: number; img_s: number; s_per_1000: number; wall_s_per_1000: number; startup_s: number; rows: number;
}

/** One shard of `cli embed` (fresh --out): `--shard 0/2` of a list of 2N images, so N images. */
export async function embedShard(modelDir: string, dtype: 'fp32' | 'q8', images: string[]): Promise<EmbedRun> {
  const work = mkdtempSync(join(tmpdir(), 'bench-embed-'));
  try {
    const list = join(work, 'inputs.txt');
    writeFileSync(list, `${images.join('\n')}\n`);
    const out = join(work, 'out');
    const r = await runCli(['embed', '--model', modelDir, '--dtype', dtype, '--shard', '0/2', '--out', out, list], 60 * 60_000);
    if (r.code !== 0) throw new Error(`cli embed exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const m = /embed: done: (\d+) rows in ([\d.]+) s/.exec(r.stderr);
    if (!m) throw new Error(`cli embed: no "done" line in its output: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    const rows = Number(m[1]);
    const embedS = Number(m[2]);
    const n = Math.floor(images.length / 2);
    if (rows !== n) throw new Error(`cli embed --shard 0/2 wrote ${rows} rows, expected ${n}`);
    return { images: n, rows, wall_s: r.wall_s, embed_s: embedS, img_s: n / embedS, s_per_1000: (embedS * 1000) / n, wall_s_per_1000: (r.wall_s * 1000) / n, startup_s: r.wall_s - embedS };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One `cli search --index` query in a child process: wall time and the results. */
export async function nodeSearch(indexDir: string, model: string, query: string, top = 20): Promise<{ wall_s: number; results: number; top_score: number }> {
  const r = await runCli(['search', '--index', indexDir, '--model', model, '--query', query, '--top', String(top), '--json'], 20 * 60_000);
  if (r.code !== 0) throw new Error(`cli search --index exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const j = JSON.parse(r.stdout) as { results: { image: string; score: number }[] };
  if (j.results.length !== top) throw new Error(`cli search --index returned ${j.results.length} results, expected ${top}`);
  return { wall_s: r.wall_s, results: j.results.length, top_score: j.results[0].score };
}

export interface LabIndexSession {
  /** page open → model ready (s), folder dropped → index ready (s) */
  model_ready_s: number; import_s: number; rows: number;
  /** one query typed: input event → hits rendered (ms, debounce included), the worker's ranking time (ms) */
  query(q: string): Promise<{ ms: number; rank_ms: number; text_ms: number | null }>;
  rendererRssMiB(): Promise<number>;
  close(): Promise<void>;
}

/** The built lab with the CLIP model loaded and an index imported in the explore panel. */
export async function openLabIndex(browser: Browser, a: { siteUrl: string; hubUrl: string; model: string; dtype: 'fp32' | 'q8'; indexDir: string; rows: number }): Promise<LabIndexSession> {
  const { chromeProcesses } = await import('./memory');
  const before = new Set((await chromeProcesses(browser)).filter((p) => p.type === 'renderer').map((p) => p.id));
  const ctx = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 860 } });
  try {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.error(`[index page error] ${e.message}`));
    page.on('console', (m) => { if (process.env.BENCH_VERBOSE) console.error(`[index] ${m.text()}`); });
    const q = new URLSearchParams({ host: a.hubUrl, model: a.model, device: 'wasm', dtype: a.dtype });
    const t0 = Date.now();
    await page.goto(`${a.siteUrl}?${q}#/clip`);
    const ready = page.getByTestId('model-ready');
    const failed = page.getByTestId('model-error');
    await ready.or(failed).first().waitFor({ state: 'visible', timeout: 10 * 60_000 });
    if (await failed.isVisible()) throw new Error(`the lab could not load the model: ${await failed.innerText()}`);
    const modelReadyS = (Date.now() - t0) / 1000;
    await page.getByTestId('tab-explore').click();
    const t1 = Date.now();
    await page.getByTestId('index-folder-input').setInputFiles(a.indexDir);
    await page.waitForFunction(() => /^(ready|error)$/.test(document.querySelector('[data-testid=index-status]')?.getAttribute('data-status') ?? ''), null, { timeout: 20 * 60_000 });
    const importS = (Date.now() - t1) / 1000;
    const err = page.getByTestId('index-error');
    if (await err.count()) throw new Error(`the lab refused the index: ${await err.innerText()}`);
    const statusText = await page.getByTestId('index-status').innerText();
    const shown = Number(/([\d\s,.\u202f\u00a0]+)/.exec(statusText)?.[1].replace(/\D/g, '') ?? 0);
    if (shown !== a.rows) throw new Error(`the lab opened ${shown} rows ("${statusText}"), expected ${a.rows}`);
    // In the page: the input event's time, and the first DOM commit after it that changes the
    // result (index-meta's rank time and text, the first hit).
    await page.evaluate(`(() => {
      const sig = () => {
        const meta = document.querySelector('[data-testid=index-meta]');
        const hit = document.querySelector('[data-testid=index-hit]');
        return [meta?.getAttribute('data-rank-ms'), meta?.textContent, hit?.getAttribute('data-path'), hit?.getAttribute('data-score')].join('|');
      };
      const w = window.__benchIndex = { tIn: 0, prev: sig(), records: [] };
      document.addEventListener('input', (e) => { if (e.target?.getAttribute?.('data-testid') === 'index-query') w.tIn = performance.now(); }, true);
      new MutationObserver(() => {
        const s = sig();
        if (!w.tIn || s === w.prev) return;
        w.prev = s;
        const meta = document.querySelector('[data-testid=index-meta]');
        // the query's text-embedding time is in the line's text ("… (query embedding N ms)", English UI)
        const text = /query embedding ([\\d.,]+) ms/.exec(meta?.textContent ?? '');
        w.records.push({ ms: performance.now() - w.tIn, rank_ms: Number(meta?.getAttribute('data-rank-ms')), text_ms: text ? Number(text[1].replace(/,/g, '')) : null });
        w.tIn = 0;
      }).observe(document.querySelector('[data-testid=index-section]'), { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    const input = page.getByTestId('index-query');
    return {
      model_ready_s: modelReadyS, import_s: importS, rows: shown,
      async query(text) {
        const n = await page.evaluate<number>('window.__benchIndex.records.length');
        await input.fill(text);
        try {
          // a function, not a string: the lab's Content-Security-Policy forbids eval in the page
          await page.waitForFunction((k) => (window as unknown as { __benchIndex: { records: unknown[] } }).__benchIndex.records.length > k, n, { timeout: 120_000 });
        } catch (e) {
          const why = await page.locator('[data-testid=index-section] .error').allInnerTexts();
          throw new Error(`no result for "${text}"${why.length ? `: ${why.join('; ')}` : ''} (${(e as Error).message.split('\n')[0]})`);
        }
        return page.evaluate<{ ms: number; rank_ms: number; text_ms: number | null }>(`window.__benchIndex.records[${n}]`);
      },
      async rendererRssMiB() {
        const pids = (await chromeProcesses(browser)).filter((p) => p.type === 'renderer' && !before.has(p.id)).map((p) => p.id);
        let kb = 0;
        for (const pid of pids) {
          try { kb += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0); } catch { /* gone */ }
        }
        return kb / 1024;
      },
      close: () => ctx.close(),
    };
  } catch (e) {
    await ctx.close();
    throw e;
  }
}

/** Distinct queries (a new one is embedded by the CLIP worker; a repeated one is cached there). */
export function queries(n: number, seed: string): string[] {
  const things = ['cat', 'dog', 'red car', 'tree', 'house', 'boat', 'bird', 'flower', 'mountain', 'person', 'bicycle', 'cup of coffee', 'beach', 'city street', 'horse', 'pizza', 'laptop', 'bridge', 'snowy field', 'guitar'];
  const how = ['a photo of a', 'a blurry photo of a', 'a close-up of a', 'a painting of a', 'a drawing of a', 'an old photo of a'];
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) out.push(`${how[Math.floor(i / things.length) % how.length]} ${things[i % things.length]} (${seed} ${i})`);
  return out;
}

/** A plain headless Chromium with the bench's flags (the index figures need no fake camera). */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const { CHROMIUM_ARGS } = await import('./browser');
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}
