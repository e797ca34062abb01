/**
 * Curriculum order for training: batches come from the easiest part of the training set first, a pool that grows
 * linearly (Hacohen & Weinshall 2019, "linear pacing"; Wu et al. 2021): at step t the pool is the easiest
 * ceil(n * (start + (1 - start) * min(1, t / (full * steps)))) images, shuffled within the pool.
 */
import type { Rng } from '../math/rng';

export interface Pacing {
  /** share of the (easy-to-hard ordered) set in the pool at step 0 */
  start: number;
  /** share of the steps by which the pool is the whole set */
  full: number;
}

export const DEFAULT_PACING: Pacing = { start: 0.2, full: 0.5 };

/** Pool size at 0-based `step` of `steps`, between 1 and n. */
export function poolSize(n: number, step: number, steps: number, p: Pacing): number {
  const t = p.full <= 0 || steps <= 0 ? 1 : Math.min(1, step / (p.full * steps));
  const share = Math.min(1, Math.max(0, p.start) + (1 - Math.max(0, p.start)) * t);
  return Math.min(n, Math.max(1, Math.ceil(n * share - 1e-9)));
}

/** The data stream's state (checkpointed by the worker as rng state + order + cursor). */
export interface StreamState {
  /** a permutation of 0..size-1 (of the pool's positions in curriculum order, or of the set) */
  order: Int32Array;
  cursor: number;
}

/**
 * The next batch of training-set indices. Without a curriculum: epochs over a fresh shuffle of the whole set
 * (the trainer's historical stream, unchanged). With one: positions drawn from a shuffle of the current pool,
 * reshuffled when the pool grows or is used up, mapped through `curriculum` (indices, easiest first).
 */
export function nextBatch(rng: Rng, s: StreamState, n: number, batch: number, curriculum: Int32Array | null, pool: number): Int32Array {
  const size = curriculum ? Math.min(pool, curriculum.length) : n;
  const b = Math.min(batch, n);
  const out = new Int32Array(b);
  for (let i = 0; i < b; i++) {
    if (s.cursor >= s.order.length || s.order.length !== size) {
      s.order = rng.shuffle(size);
      s.cursor = 0;
    }
    const k = s.order[s.cursor++];
    out[i] = curriculum ? curriculum[k] : k;
  }
  return out;
}

export interface CompletedOrder {
  /** a permutation of 0..n-1: the ranked images easiest first, then the unranked ones in index order */
  order: Int32Array;
  ranked: number;
  /** entries that were out of range or repeated */
  ignored: number;
}

/** Turn a (possibly partial) easy-to-hard list of training-set indices into a full order for `n` images. */
export function completeOrder(ranked: ArrayLike<number>, n: number): CompletedOrder {
  const seen = new Uint8Array(n);
  const order = new Int32Array(n);
  let k = 0;
  let ignored = 0;
  for (let i = 0; i < ranked.length; i++) {
    const v = ranked[i];
    if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) {
      ignored++;
      continue;
    }
    seen[v] = 1;
    order[k++] = v;
  }
  const rankedCount = k;
  for (let v = 0; v < n; v++) if (!seen[v]) order[k++] = v;
  return { order, ranked: rankedCount, ignored };
}

/**
 * Read a curriculum file (the hardness panel's `curriculum.json`, or `{"order":[...]}` / a bare array of indices):
 * training-set indices, easiest first. Errors name the file and the reason.
 */
export function parseCurriculum(text: string, file: string): { indices: number[]; dataset?: string; split?: string } {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const ints = (a: unknown[], what: string): number[] =>
    a.map((v, i) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${file}: ${what}[${i}] is not a non-negative integer index`);
      return v;
    });
  if (Array.isArray(j)) return { indices: ints(j, 'entry') };
  if (!j || typeof j !== 'object') throw new Error(`${file}: expected an object with "images" or "indices", or an array of indices`);
  const o = j as { images?: unknown; indices?: unknown; dataset?: unknown; split?: unknown };
  const dataset = typeof o.dataset === 'string' ? o.dataset : undefined;
  const split = typeof o.split === 'string' ? o.split : undefined;
  if (Array.isArray(o.indices)) return { indices: ints(o.indices, 'indices'), dataset, split };
  if (Array.isArray(o.images)) {
    const idx = o.images.map((im, i) => {
      const v = (im as { index?: unknown } | null)?.index;
      if (typeof v !== 'number') throw new Error(`${file}: images[${i}] has no "index" (a training-set index): export the order from a BatchNorm run's hardness view`);
      return v;
    });
    return { indices: ints(idx, 'images.index'), dataset, split };
  }
  throw new Error(`${file}: expected "images" (with "index" fields) or "indices"`);
}
