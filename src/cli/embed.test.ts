/**
 * `cli embed` and `cli search --index` on the tiny-random-clip fixture: shards cover the set,
 * embeddings are the pipeline's (classify's and search's path), a killed run resumes with no
 * duplicate and no missing row, bad files are logged with exit 2, and DuckDB (an independent
 * reader) reads the declared schema back.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadImageTextModel } from '../models';
import { GOLDEN_DIR, TINY_CLIP_DIR } from '../clip/testing/golden';
import { run as embed } from './embed';
import { embedInputs } from './image-inputs';

const exec = promisify(execFile);
const ROOT = join(TINY_CLIP_DIR, '../../..');
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const IMAGES = readdirSync(GOLDEN_DIR).filter((f) => /\.(png|jpg)$/.test(f)).sort();

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [...CLI, ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** In-process run (no tsx start-up per call); its stderr log is kept for failure messages. */
async function runEmbed(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(console, 'error').mockImplementation((...a) => void (stderr += a.join(' ') + '\n'));
  try {
    return { code: await embed(argv), stderr };
  } finally {
    spy.mockRestore();
  }
}

interface Row {
  path: string;
  sha256: string;
  width: number | null;
  height: number | null;
  label: string | null;
  model: string;
  dtype: string;
  embedding: number[];
}

let duck: DuckDBConnection;
async function rows(dir: string): Promise<Row[]> {
  const r = await duck.runAndReadAll(`SELECT * FROM read_parquet('${join(dir, 'part-*.parquet')}') ORDER BY path`);
  return r.getRowObjectsJS() as unknown as Row[];
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('cli embed', () => {
  let dir: string;
  /** the pipeline's own embeddings (classify's and search's path), by path */
  const reference = new Map<string, Float32Array>();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clip-embed-'));
    duck = await (await DuckDBInstance.create(':memory:')).connect();
    const model = await loadImageTextModel({ kind: 'path', path: TINY_CLIP_DIR }, { dtype: 'fp32', device: 'cpu' });
    try {
      for (const e of await embedInputs(model, [GOLDEN_DIR])) if ('embedding' in e) reference.set(e.image, e.embedding);
    } finally {
      await model.dispose();
    }
    expect(reference.size).toBe(IMAGES.length);
  });
  afterAll(() => {
    duck?.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one run and shards 0/2 + 1/2 give the same rows; embeddings are the pipeline’s to 1e-6; DuckDB reads the declared schema', async () => {
    const whole = join(dir, 'whole');
    const sharded = join(dir, 'sharded');
    const r = await runEmbed(['--model', TINY_CLIP_DIR, '--part-rows', '4', '--out', whole, GOLDEN_DIR]);
    expect(r.code, r.stderr).toBe(0);
    for (const s of ['0/2', '1/2']) {
      const rs = await runEmbed(['--model', TINY_CLIP_DIR, '--shard', s, '--out', sharded, GOLDEN_DIR]);
      expect(rs.code, rs.stderr).toBe(0);
    }
    // Parts of at most --part-rows; each shard wrote its own files.
    expect(readdirSync(whole).filter((f) => f.endsWith('.parquet'))).toEqual(['part-00000-00000.parquet', 'part-00000-00001.parquet', 'part-00000-00002.parquet']);
    expect(readdirSync(sharded).filter((f) => f.endsWith('.parquet'))).toEqual(['part-00000-00000.parquet', 'part-00001-00000.parquet']);
    // The error log: `_errors.jsonl` for a run without --shard, one per shard with it (empty: nothing failed).
    expect(readdirSync(whole).filter((f) => f.startsWith('_errors'))).toEqual(['_errors.jsonl']);
    expect(readdirSync(sharded).filter((f) => f.startsWith('_errors')).sort()).toEqual(['_errors-00000.jsonl', '_errors-00001.jsonl']);
    expect(readFileSync(join(whole, '_errors.jsonl'), 'utf8')).toBe('');
    // The manifest the lab fetches to open a folder by URL lists every part (the last shard to end lists both).
    expect(JSON.parse(readFileSync(join(whole, '_manifest.json'), 'utf8'))).toMatchObject({ model: TINY_CLIP_DIR, dtype: 'fp32', parts: ['part-00000-00000.parquet', 'part-00000-00001.parquet', 'part-00000-00002.parquet'] });
    expect(JSON.parse(readFileSync(join(sharded, '_manifest.json'), 'utf8')).parts).toEqual(['part-00000-00000.parquet', 'part-00001-00000.parquet']);

    const a = await rows(whole);
    const b = await rows(sharded);
    expect(a.length).toBe(IMAGES.length);
    expect(new Set(b.map((x) => x.sha256))).toEqual(new Set(a.map((x) => x.sha256)));
    expect(b.length).toBe(a.length);
    for (const x of a) {
      expect(x.sha256).toBe(sha256(readFileSync(x.path)));
      expect(x.label).toBe('golden');
      expect([x.model, x.dtype]).toEqual([TINY_CLIP_DIR, 'fp32']);
      expect(maxDiff(x.embedding, reference.get(x.path)!)).toBeLessThan(1e-6);
      const y = b.find((z) => z.sha256 === x.sha256)!;
      expect(maxDiff(x.embedding, y.embedding)).toBeLessThan(1e-6);
      // float32 rounding of a unit vector: |norm - 1| stays near 1e-7
      expect(Math.abs(Math.hypot(...x.embedding) - 1)).toBeLessThan(1e-5);
    }
    const checker = a.find((x) => x.path.endsWith('checker_300x200.png'))!;
    expect([checker.width, checker.height]).toEqual([300, 200]);

    const described = (await duck.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${join(whole, 'part-*.parquet')}')`)).getRowObjectsJS();
    expect(described.map((d) => `${d.column_name} ${d.column_type}`)).toEqual([
      'path VARCHAR',
      'sha256 VARCHAR',
      'width INTEGER',
      'height INTEGER',
      'label VARCHAR',
      'model VARCHAR',
      'dtype VARCHAR',
      'embedding FLOAT[]',
    ]);
    // Parquet has no fixed-size list; the Arrow schema stored in the file says it is one (pyarrow, Polars and the lab read it so).
    const t = tableFromIPC(pq.readParquet(readFileSync(join(whole, 'part-00000-00000.parquet'))).intoIPCStream());
    expect(String(t.getChild('embedding')!.type)).toBe(`FixedSizeList[${reference.values().next().value!.length}]<Float32>`);
  });

  it('a run killed after its first part, then run again: no duplicate and no missing row', async () => {
    const src = join(dir, 'copies');
    // 4 copies of the golden set: enough work that the kill lands mid-run (checked below).
    for (let c = 0; c < 4; c++) {
      mkdirSync(join(src, `c${c}`), { recursive: true });
      for (const f of IMAGES) copyFileSync(join(GOLDEN_DIR, f), join(src, `c${c}`, f));
    }
    const out = join(dir, 'killed');
    const args = [...CLI, 'embed', '--model', TINY_CLIP_DIR, '--batch', '1', '--part-rows', '3', '--out', out, src];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (d) => (log += String(d)));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const deadline = Date.now() + 90_000;
    while (!(existsSync(out) && readdirSync(out).some((f) => f.endsWith('.parquet'))) && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(child.exitCode, `the run ended before its first part was written:\n${log}`).toBeNull();
    child.kill('SIGKILL');
    await exited;
    const before = await rows(out);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length, 'the kill should land mid-run').toBeLessThan(4 * IMAGES.length);

    const again = await cli(['embed', '--model', TINY_CLIP_DIR, '--batch', '4', '--part-rows', '3', '--out', out, src]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`${before.length} already in`);
    const after = await rows(out);
    const paths = after.map((x) => x.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.sort()).toEqual(IMAGES.flatMap((f) => [0, 1, 2, 3].map((c) => join(src, `c${c}`, f))).sort());
    expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('bad inputs land in _errors.jsonl with the reason, the rest is embedded, exit 2; a list file is read', async () => {
    const src = join(dir, 'bad');
    mkdirSync(src);
    copyFileSync(join(GOLDEN_DIR, 'chelsea.png'), join(src, 'chelsea.png'));
    writeFileSync(join(src, 'broken.png'), 'this is not a png');
    const list = join(dir, 'inputs.txt');
    writeFileSync(list, `# one path per line\n${join(src, 'chelsea.png')}\n${join(src, 'broken.png')}\n${join(src, 'missing.jpg')}\n`);
    const out = join(dir, 'bad-out');
    const r = await cli(['embed', '--model', TINY_CLIP_DIR, '--out', out, list]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(out).filter((f) => f.startsWith('_errors'))).toEqual(['_errors.jsonl']);
    const errors = readFileSync(join(out, '_errors.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { path: string; error: string });
    expect(errors.map((e) => e.path)).toEqual([join(src, 'broken.png'), join(src, 'missing.jpg')]);
    expect(errors[1].error).toBe('file not found');
    expect(errors[0].error).toMatch(/png|decode|image/i);
    expect((await rows(out)).map((x) => x.path)).toEqual([join(src, 'chelsea.png')]);
  });

  it('refuses an --out made with another model or dtype, and bad flags, with the reason (exit 1)', async () => {
    const out = join(dir, 'whole');
    const r = await runEmbed(['--model', TINY_CLIP_DIR, '--dtype', 'q8', '--out', out, GOLDEN_DIR]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already holds embeddings of');
    expect((await runEmbed(['--model', TINY_CLIP_DIR, '--shard', '2/2', '--out', out, GOLDEN_DIR])).stderr).toContain('i must be below n');
    expect((await runEmbed(['--model', TINY_CLIP_DIR, GOLDEN_DIR])).stderr).toContain('missing --out');
  });

  it('--text embeds prompts into the same schema (the model’s text embeddings)', async () => {
    const out = join(dir, 'texts');
    const texts = ['a photo of a cat', 'a photo of a dog', 'an astronaut'];
    const r = await runEmbed(['--model', TINY_CLIP_DIR, '--out', out, ...texts.flatMap((x) => ['--text', x])]);
    expect(r.code, r.stderr).toBe(0);
    const got = await rows(out);
    expect(got.map((x) => x.path)).toEqual([...texts].sort());
    const model = await loadImageTextModel({ kind: 'path', path: TINY_CLIP_DIR }, { dtype: 'fp32', device: 'cpu' });
    try {
      for (const x of got) {
        const e = await model.encodeTexts([x.path]);
        expect(maxDiff(x.embedding, e.embeds)).toBeLessThan(1e-6);
        expect([x.width, x.height, x.label]).toEqual([null, null, null]);
      }
    } finally {
      await model.dispose();
    }
  });

  it('search --index gives search’s JSON: same order, cosines to 1e-6', async () => {
    const query = 'a photo of a cat';
    const plain = await cli(['search', '--model', TINY_CLIP_DIR, '--query', query, '--json', GOLDEN_DIR]);
    const indexed = await cli(['search', '--index', join(dir, 'whole'), '--query', query, '--top', '20', '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(indexed.code, indexed.stderr).toBe(0);
    const a = JSON.parse(plain.stdout) as { query: string; results: { image: string; score: number }[]; errors: unknown[] };
    const b = JSON.parse(indexed.stdout) as typeof a;
    expect(Object.keys(b)).toEqual(['query', 'results', 'errors']);
    expect(b.query).toBe(query);
    expect(b.errors).toEqual([]);
    expect(b.results.map((x) => x.image)).toEqual(a.results.map((x) => x.image));
    b.results.forEach((x, i) => expect(Math.abs(x.score - a.results[i].score)).toBeLessThan(1e-6));
    const top3 = await cli(['search', '--index', join(dir, 'whole'), '--query', query, '--top', '3', '--json']);
    expect((JSON.parse(top3.stdout) as typeof a).results.map((x) => x.image)).toEqual(a.results.slice(0, 3).map((x) => x.image));
  });

  it('search --index refuses another model’s index with the reason', async () => {
    const r = await cli(['search', '--index', join(dir, 'whole'), '--model', join(ROOT, 'e2e/fixtures/tiny-random-siglip'), '--query', 'x', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the index was made with model');
  });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
