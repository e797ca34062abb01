/**
 * `--shard i/n`: a deterministic, balanced share of the sorted inputs. Shard i takes the contiguous
 * range [floor(i·N/n), floor((i+1)·N/n)) of the inputs sorted by code point, so n machines cover the
 * set with no overlap and no coordinator, and shard sizes differ by at most one.
 */

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard | { error: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return { error: `--shard ${text}: expected i/n, e.g. 0/4` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) return { error: `--shard ${text}: n must be at least 1` };
  if (index >= count) return { error: `--shard ${text}: i must be below n (shards are numbered 0 to ${count - 1})` };
  return { index, count };
}

/** Code-point order, the same on every machine (localeCompare would depend on the locale). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The half-open range of positions shard `s` takes out of `total` sorted inputs. */
export function shardRange(total: number, s: Shard): [number, number] {
  return [Math.floor((s.index * total) / s.count), Math.floor(((s.index + 1) * total) / s.count)];
}

/** Sorts (code point), removes repeats, and keeps this shard's share. */
export function selectShard(inputs: readonly string[], s: Shard): string[] {
  const sorted = [...new Set(inputs)].sort(byCodePoint);
  const [a, b] = shardRange(sorted.length, s);
  return sorted.slice(a, b);
}

/** `part-<shard>-<k>.parquet`, zero-padded so a plain listing sorts them. */
export function partName(shard: number, k: number): string {
  return `part-${String(shard).padStart(5, '0')}-${String(k).padStart(5, '0')}.parquet`;
}

export const PART_FILE = /^part-(\d+)-(\d+)\.parquet$/;

/**
 * The error log (one JSON object per line: {path, error}): `_errors.jsonl` for a run without --shard,
 * `_errors-<i>.jsonl` for shard i of a --shard i/n run, so n machines writing into one folder never share one.
 */
export function errorsName(shard: number | null): string {
  return shard === null ? '_errors.jsonl' : `_errors-${String(shard).padStart(5, '0')}.jsonl`;
}
