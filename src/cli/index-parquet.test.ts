/**
 * `_manifest.json` under concurrent shards (issue 18): two writers (in one process, and as two
 * processes, as `cli embed --shard 0/2` and `--shard 1/2` run) finishing together must not drop each
 * other's parts; a lock left by a killed run does not block; a live shard's temporaries survive
 * another shard's start-up.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { partName } from '../index-store/shard';
import { removeTemporaries, writeManifest } from './index-parquet';

// While `slow.on`: each rename of a manifest temporary into place waits 0-8 ms, a writer descheduled
// between listing the parts and renaming its manifest (the window in which an unguarded writer drops the other's part).
const slow = vi.hoisted(() => ({ on: false, seed: 1 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof fs.rename = async (from, to) => {
    if (slow.on && String(from).includes('_manifest.json.tmp')) {
      slow.seed = (slow.seed * 16807) % 2147483647;
      await new Promise((ok) => setTimeout(ok, slow.seed % 9));
    }
    return fs.rename(from, to);
  };
  return { ...fs, rename, default: { ...fs, rename } };
});

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const INFO = { model: 'org/m', dtype: 'fp32', dim: 4 };
const manifestParts = (dir: string) => (JSON.parse(readFileSync(join(dir, '_manifest.json'), 'utf8')) as { parts: string[] }).parts;
/** a part file as listParts sees it (by name; the content is not read) */
const touchPart = (dir: string, shard: number, k: number) => writeFileSync(join(dir, partName(shard, k)), '');
/** a pid that is not running (a child that has exited) */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('_manifest.json written by concurrent shards', () => {
  it('lists every part when writers interleave (each part written, then the manifest, as embed does)', async () => {
    slow.on = true;
    for (let trial = 0; trial < 10; trial++) {
      const dir = mkdtempSync(join(tmpdir(), 'manifest-race-'));
      const writer = async (shard: number) => {
        for (let k = 0; k < 8; k++) {
          touchPart(dir, shard, k);
          await writeManifest(dir, INFO);
        }
      };
      await Promise.all([writer(0), writer(1), writer(2)]);
      expect(manifestParts(dir), `trial ${trial}`).toHaveLength(24);
      expect(readdirSync(dir).filter((n) => n.startsWith('.')), 'no lock or temporary left').toEqual([]);
    }
    slow.on = false;
  });

  it('lists every part when two processes finish at the same moment', async () => {
    // 20 folders; in each, both processes write their last part and the manifest at the same instant
    const dirs = Array.from({ length: 20 }, () => mkdtempSync(join(tmpdir(), 'manifest-race-proc-')));
    const startAt = Date.now() + 5000; // both processes started (tsx) by then
    const script = (shard: number) => `
      import { writeFileSync } from 'node:fs';
      import { writeManifest } from './src/cli/index-parquet.ts';
      import { partName } from './src/index-store/shard.ts';
      const dirs = ${JSON.stringify(dirs)};
      for (let t = 0; t < dirs.length; t++) {
        writeFileSync(dirs[t] + '/' + partName(${shard}, 0), '');
        const at = ${startAt} + t * 50;
        while (Date.now() < at) {} // spin: both start within a millisecond
        writeFileSync(dirs[t] + '/' + partName(${shard}, 1), '');
        await writeManifest(dirs[t], ${JSON.stringify(INFO)});
      }`;
    const run = (shard: number) => exec(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(shard)], { cwd: ROOT });
    await Promise.all([run(0), run(1)]);
    const want = [partName(0, 0), partName(0, 1), partName(1, 0), partName(1, 1)];
    expect(dirs.map((d) => manifestParts(d))).toEqual(dirs.map(() => want));
  }, 60_000);

  it('breaks a lock left by a killed run, waits for a live one, and keeps the dimension a rerun does not know', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-lock-'));
    const lock = join(dir, '._manifest.json.lock');
    touchPart(dir, 0, 0);
    writeFileSync(lock, `${hostname()} ${deadPid()} left-by-a-killed-run`);
    await writeManifest(dir, INFO);
    expect(manifestParts(dir)).toEqual([partName(0, 0)]);
    expect(existsSync(lock)).toBe(false);

    // a live holder (this process, fresh): the writer waits for its release
    writeFileSync(lock, `${hostname()} ${process.pid} someone-else`);
    touchPart(dir, 1, 0);
    let done = false;
    const writing = writeManifest(dir, { ...INFO, dim: null }).then(() => (done = true));
    await new Promise((ok) => setTimeout(ok, 150));
    expect(done).toBe(false);
    expect(manifestParts(dir)).toEqual([partName(0, 0)]);
    (await import('node:fs')).unlinkSync(lock);
    await writing;
    const m = JSON.parse(readFileSync(join(dir, '_manifest.json'), 'utf8'));
    expect(m).toMatchObject({ format: 'clip-lab-embedding-index', model: 'org/m', dtype: 'fp32', dim: 4, parts: [partName(0, 0), partName(1, 0)] });
  });

  it('start-up removes the temporaries of runs that are gone, not those of a shard still writing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-tmp-'));
    const dead = deadPid();
    const live = [`.${partName(1, 3)}.tmp-${process.pid}`, `._manifest.json.tmp-${process.pid}-7`];
    const gone = [`.${partName(0, 2)}.tmp-${dead}`, `._manifest.json.tmp-${dead}-0`];
    for (const n of [...live, ...gone]) writeFileSync(join(dir, n), 'x');
    await removeTemporaries(dir);
    expect(readdirSync(dir).sort()).toEqual([...live].sort());
  });
});
