/**
 * Node side of the embedding index: part files written with parquet-wasm from Arrow tables
 * (src/index-store/schema.ts), atomically (a temporary name, then rename: a kill mid-write never
 * leaves a truncated part), and read back for a resumed run.
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/** Leftovers of a run killed mid-write (never renamed into place). */
export async function removeTemporaries(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => /^\.part-.*\.tmp-\d+$/.test(n)).map((n) => rm(join(dir, n), { force: true })));
}

/** The path, model and dtype columns of one part (what a resumed run needs; embeddings are not read). */
export async function readPartKeys(file: string): Promise<{ path: string[]; model: string[]; dtype: string[] }> {
  const t = tableFromIPC(pq.readParquet(await readFile(file), { columns: ['path', 'model', 'dtype'] }).intoIPCStream());
  const col = (n: string) => Array.from((t.getChild(n)?.toArray() ?? []) as ArrayLike<string>);
  return { path: col('path'), model: col('model'), dtype: col('dtype') };
}

/**
 * Rewrites `_manifest.json` with every part file in `dir` now (atomically). Each run writes it when it
 * ends, so the last of n shards to finish lists them all; a rerun with nothing to do refreshes it.
 */
export async function writeManifest(dir: string, info: { model: string; dtype: string; dim: number | null }): Promise<void> {
  const parts = (await listParts(dir)).map((p) => p.name);
  const tmp = join(dir, `.${MANIFEST}.tmp-${process.pid}`);
  await writeFile(tmp, JSON.stringify({ format: 'clip-lab-embedding-index', version: 1, ...info, parts }, null, 1) + '\n');
  await rename(tmp, join(dir, MANIFEST));
}
