/**
 * Node side of the embedding index: part files written with parquet-wasm from Arrow tables
 * (src/index-store/schema.ts), atomically (a temporary name, then rename: a kill mid-write never
 * leaves a truncated part), and read back for a resumed run. Shards run as separate processes into
 * one folder: the manifest is rewritten under an exclusive lock file, and a run's start-up only
 * removes the temporaries of processes that are gone.
 */
import { randomUUID } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { indexTable, type IndexRow } from '../index-store/schema';
import { PART_FILE } from '../index-store/shard';
import { MANIFEST_NAME as MANIFEST } from '../index-store/url';

export async function writePart(dir: string, name: string, rows: readonly IndexRow[], dim: number): Promise<void> {
  const table = pq.Table.fromIPCStream(tableToIPC(indexTable(rows, dim), 'stream'));
  // ZSTD: embeddings barely compress, but the string columns (paths, model) do.
  const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).build();
  const bytes = pq.writeParquet(table, props);
  const tmp = join(dir, `.${name}.tmp-${process.pid}`);
  await writeFile(tmp, bytes);
  await rename(tmp, join(dir, name));
}

/** Whether process `pid` of this machine is running (EPERM: it is, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface PartInfo {
  name: string;
  shard: number;
  k: number;
}

export async function listParts(dir: string): Promise<PartInfo[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, m: PART_FILE.exec(name) }))
    .filter((x) => x.m)
    .map(({ name, m }) => ({ name, shard: Number(m![1]), k: Number(m![2]) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Leftovers of a run killed mid-write (never renamed into place): part and manifest temporaries of
 * processes no longer running. Another shard's part being written now (its process alive) is left alone.
 */
export async function removeTemporaries(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const gone = names.filter((n) => {
    const m = /^\.(?:part-.*|_manifest\.json)\.tmp-(\d+)(?:-[\w-]+)?$/.exec(n);
    return m && !alive(Number(m[1]));
  });
  await Promise.all(gone.map((n) => rm(join(dir, n), { force: true })));
}

/** The path, model and dtype columns of one part (what a resumed run needs; embeddings are not read). */
export async function readPartKeys(file: string): Promise<{ path: string[]; model: string[]; dtype: string[] }> {
  const t = tableFromIPC(pq.readParquet(await readFile(file), { columns: ['path', 'model', 'dtype'] }).intoIPCStream());
  const col = (n: string) => Array.from((t.getChild(n)?.toArray() ?? []) as ArrayLike<string>);
  return { path: col('path'), model: col('model'), dtype: col('dtype') };
}

/** How long a manifest lock may be held before it counts as left by a killed run (the write takes milliseconds). */
export const MANIFEST_LOCK_STALE_MS = 30_000;
/** How long a writer waits for a live holder before giving up with the lock file's name. */
const MANIFEST_LOCK_WAIT_MS = 120_000;

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Whether the lock file (holding `holder`: "host pid token", empty while being written) was left by a run that is gone. */
async function staleLock(lock: string, holder: string): Promise<boolean> {
  const [host, pid] = holder.split(' ');
  if (host === hostname() && Number(pid) > 0 && !alive(Number(pid))) return true;
  const s = await stat(lock).catch(() => null);
  return s !== null && Date.now() - s.mtimeMs > MANIFEST_LOCK_STALE_MS;
}

/**
 * Runs `fn` holding `<dir>/._manifest.json.lock`, created with O_CREAT|O_EXCL (`wx`: exactly one process
 * or writer creates it). A lock whose process is gone (same machine) or that is older than
 * MANIFEST_LOCK_STALE_MS is broken (renamed away, so two breakers cannot both succeed); released only
 * by its holder (token checked).
 */
async function withManifestLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, `.${MANIFEST}.lock`);
  const token = `${hostname()} ${process.pid} ${randomUUID()}`;
  const t0 = Date.now();
  for (;;) {
    try {
      const fh = await open(lock, 'wx');
      try {
        await fh.writeFile(token);
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readFile(lock, 'utf8').catch(() => null);
    if (holder === null) continue; // released meanwhile
    if (await staleLock(lock, holder)) {
      const grave = `${lock}.stale-${process.pid}-${randomUUID()}`;
      if (await rename(lock, grave).then(() => true, () => false)) await rm(grave, { force: true });
      continue;
    }
    if (Date.now() - t0 > MANIFEST_LOCK_WAIT_MS) {
      throw new Error(`${lock} is held by ${holder || 'a run starting'} for more than ${MANIFEST_LOCK_WAIT_MS / 1000} s; remove it if no embed is running`);
    }
    await sleep(2 + Math.random() * 10);
  }
  try {
    return await fn();
  } finally {
    if ((await readFile(lock, 'utf8').catch(() => null)) === token) await unlink(lock).catch(() => {});
  }
}

let tmpCount = 0;

/**
 * Rewrites `_manifest.json` with every part file in `dir` now (atomically: a temporary, then rename).
 * Each run writes it when it ends, so the last of n shards to finish lists them all; a rerun with nothing
 * to do refreshes it (keeping the dimension an earlier run recorded). Shards finishing together cannot
 * drop each other's parts: listing and writing happen under an exclusive lock file (withManifestLock),
 * and the parts are listed again after the write, which is redone if one appeared meanwhile (a writer
 * that broke a lock it wrongly took for stale).
 */
export async function writeManifest(dir: string, info: { model: string; dtype: string; dim: number | null }): Promise<void> {
  await withManifestLock(dir, async () => {
    let dim = info.dim;
    if (dim === null) {
      const before = await readFile(join(dir, MANIFEST), 'utf8').then((t) => JSON.parse(t) as { model?: string; dtype?: string; dim?: unknown }, () => null);
      if (before && before.model === info.model && before.dtype === info.dtype && typeof before.dim === 'number') dim = before.dim;
    }
    for (;;) {
      const parts = (await listParts(dir)).map((p) => p.name);
      const tmp = join(dir, `.${MANIFEST}.tmp-${process.pid}-${tmpCount++}`);
      await writeFile(tmp, JSON.stringify({ format: 'clip-lab-embedding-index', version: 1, ...info, dim, parts }, null, 1) + '\n');
      await rename(tmp, join(dir, MANIFEST));
      const now = (await listParts(dir)).map((p) => p.name);
      if (now.length === parts.length && now.every((n, i) => n === parts[i])) return;
    }
  });
}
