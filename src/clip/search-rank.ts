/**
 * Cosine ranking over cached embeddings: text-to-image search, "more like this" and near-duplicate
 * groups. Rows are L2-normalised once when added, so a query costs one pass of dot products
 * (WebAssembly SIMD when available: ~10 ms for 100,000 × 512 here; plain JS otherwise).
 *
 * Storage (SIMD): ONE WebAssembly memory per index, laid out [query | score block | rows]; the rows
 * region comes last, so growing the index grows that same memory in place (`memory.grow`: engines that
 * reserve the wasm32 address space up front, V8 and SpiderMonkey on 64-bit, neither copy nor hold the old
 * rows twice) instead of copying into a new memory. A wasm32 memory holds at most 4 GiB (the kernels'
 * module declares no maximum: this is the engines' limit, WASM_MEMORY_LIMIT): about 2 million rows of
 * 512 floats; an index that would not fit is refused with the row count and the limit. `reserve(total)`
 * up front sizes it exactly (the lab's index worker does when the part files' row counts are known).
 */
import { KernelArena, padDim, simdKernels, WASM_MEMORY_LIMIT, WASM_PAGE, type Kernels } from '../math/simd-kernels';

export interface Ranked {
  index: number;
  score: number;
}

/** Rows scored per kernel call (the score block in WebAssembly memory: 256 KiB). */
const SCORE_BLOCK = 65_536;
/** Headroom left below WASM_MEMORY_LIMIT: the kernels' end-of-row pointer (row + dBytes) never wraps past 2^32. */
const TOP_MARGIN = WASM_PAGE;

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

export class EmbeddingIndex {
  readonly dim: number;
  private readonly padded: number;
  private readonly kernels: Kernels | null;
  private capacity = 0;
  private rowsAt = 0;
  private queryAt = 0;
  private outAt = 0;
  private jsRows: Float32Array = new Float32Array(0);
  private size = 0;

  /** `simd: false` forces the plain-JS path (the fallback where WebAssembly SIMD is missing). */
  constructor(dim: number, options: { simd?: boolean } = {}) {
    if (!(Number.isInteger(dim) && dim > 0)) throw new Error(`embedding dimension must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.padded = padDim(dim);
    this.kernels = options.simd === false ? null : simdKernels();
    if (this.kernels) {
      const arena = new KernelArena(this.kernels);
      this.queryAt = arena.alloc(this.padded);
      this.outAt = arena.alloc(SCORE_BLOCK);
      this.rowsAt = arena.alloc(0); // last: the rows region grows at the end of the memory
    }
  }

  /** An index over n rows of `dim` floats stored flat (row-major). */
  static from(flat: ArrayLike<number>, dim: number, options: { simd?: boolean } = {}): EmbeddingIndex {
    const index = new EmbeddingIndex(dim, options);
    index.add(flat);
    return index;
  }

  /**
   * The most rows of dimension `dim` one index holds with WebAssembly SIMD: a wasm32 memory's 4 GiB less
   * the index's scratch (query and score block). The plain-JS fallback has no such limit of its own.
   */
  static maxRows(dim: number): number {
    const padded = padDim(dim);
    const scratch = Math.ceil((padded * 4) / 64) * 64 + SCORE_BLOCK * 4;
    return Math.floor((WASM_MEMORY_LIMIT - TOP_MARGIN - scratch) / (padded * 4));
  }

  get count(): number {
    return this.size;
  }

  get usesSimd(): boolean {
    return this.kernels !== null;
  }

  /** Appends rows (flat, a multiple of dim), L2-normalising each; returns the index of the first one added. */
  add(flat: ArrayLike<number>): number {
    const { dim, padded } = this;
    if (flat.length % dim !== 0) throw new Error(`embeddings hold ${flat.length} numbers, not a multiple of dimension ${dim}`);
    const n = flat.length / dim;
    const first = this.size;
    this.grow(first + n);
    // typed input keeps the hot loop monomorphic (the lab adds Float32Array parts); other arrays are read as float64
    const x = flat instanceof Float32Array || flat instanceof Float64Array ? flat : Float64Array.from(flat);
    normaliseInto(x, this.rowsView(), n, dim, padded, first * padded);
    this.size += n;
    return first;
  }

  /**
   * Room for `rows` rows in all, sized exactly (no doubling): call it once with the total when it is known
   * before the rows are added. Throws, naming the row count and the limit, when they would not fit in one
   * WebAssembly memory (see maxRows).
   */
  reserve(rows: number): void {
    if (!(Number.isInteger(rows) && rows >= 0)) throw new Error(`cannot reserve ${rows} rows`);
    if (rows > this.capacity) this.resize(rows, rows);
  }

  /** The stored (normalised) row i. */
  row(i: number): Float32Array {
    this.checkRow(i);
    return this.rowsView().slice(i * this.padded, i * this.padded + this.dim);
  }

  /**
   * Every stored (normalised) row, flat and row-major: `count × dim` floats, what the probe, the map and the
   * hardness cosines read. When `dim` is a multiple of 16 (CLIP's 512, 768, 1024: rows are stored unpadded)
   * this is a zero-copy VIEW of the index's own storage: do not write to it, and take a fresh one after any
   * `add` or `reserve`, since growth invalidates it (a grown WebAssembly memory detaches its old buffer, so
   * an old view reads as empty; the JS fallback moves its rows to a new array). Otherwise it is a compact copy.
   */
  flatRows(): Float32Array {
    const { dim, padded, size } = this;
    const rows = this.rowsView();
    if (padded === dim) return rows.subarray(0, size * dim);
    const out = new Float32Array(size * dim);
    for (let i = 0; i < size; i++) out.set(rows.subarray(i * padded, i * padded + dim), i * dim);
    return out;
  }

  /** True when flatRows() is a view of the storage (no copy), false when it copies (a padded dimension). */
  get flatRowsAreView(): boolean {
    return this.padded === this.dim;
  }

  /** Cosine similarity of the query to every row, in row order. */
  scores(query: ArrayLike<number>): Float32Array {
    if (query.length !== this.dim) throw new Error(`query has ${query.length} numbers, the index holds ${this.dim}-dimensional embeddings`);
    let ss = 0;
    for (let j = 0; j < query.length; j++) ss += query[j] * query[j];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    const q = new Float32Array(this.padded);
    for (let j = 0; j < this.dim; j++) q[j] = query[j] * inv;
    return this.scoresNormalised(q, 0, this.size);
  }

  /** The k rows most similar to the query, highest first (ties: lower index first). */
  search(query: ArrayLike<number>, k: number): Ranked[] {
    return topK(this.scores(query), k);
  }

  /** The k rows most similar to row i, itself excluded. */
  moreLikeThis(i: number, k: number): Ranked[] {
    this.checkRow(i);
    const scores = this.scores(this.row(i));
    return topK(scores, k, (j) => j === i);
  }

  /**
   * Groups of rows whose cosine similarity is at least `threshold`, joined transitively
   * (union-find). Only groups of 2 or more; members ascending; groups ordered by first member.
   * Cost is n²/2 dot products (about 1 s for 5,000 × 512 here).
   */
  nearDuplicateGroups(threshold: number): number[][] {
    if (!(threshold > -1 && threshold <= 1)) throw new Error(`similarity threshold must be in (-1, 1], got ${threshold}`);
    const n = this.size;
    const parent = Int32Array.from({ length: n }, (_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    };
    const rows = this.rowsView();
    for (let i = 0; i + 1 < n; i++) {
      const q = rows.slice(i * this.padded, (i + 1) * this.padded);
      const s = this.scoresNormalised(q, i + 1, n);
      for (let t = 0; t < s.length; t++) {
        if (s[t] >= threshold) {
          const a = find(i);
          const b = find(i + 1 + t);
          if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
        }
      }
    }
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const r = find(i);
      const g = groups.get(r);
      if (g) g.push(i);
      else groups.set(r, [i]);
    }
    return [...groups.values()].filter((g) => g.length > 1).sort((a, b) => a[0] - b[0]);
  }

  private checkRow(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.size)) throw new Error(`no embedding at index ${i} (the index holds ${this.size})`);
  }

  /** Dots of a normalised, padded query with rows [from, to). */
  private scoresNormalised(q: Float32Array, from: number, to: number): Float32Array {
    const n = to - from;
    const dp = this.padded;
    const out = new Float32Array(n);
    if (this.kernels) {
      const buffer = this.kernels.memory.buffer;
      new Float32Array(buffer, this.queryAt, dp).set(q);
      for (let s = 0; s < n; s += SCORE_BLOCK) {
        const m = Math.min(SCORE_BLOCK, n - s);
        this.kernels.dots(this.rowsAt + (from + s) * dp * 4, this.queryAt, m, dp * 4, this.outAt);
        out.set(new Float32Array(buffer, this.outAt, m), s);
      }
      return out;
    }
    const rows = this.jsRows;
    for (let i = 0; i < n; i++) {
      const o = (from + i) * dp;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < dp; j += 4) {
        s0 += rows[o + j] * q[j];
        s1 += rows[o + j + 1] * q[j + 1];
        s2 += rows[o + j + 2] * q[j + 2];
        s3 += rows[o + j + 3] * q[j + 3];
      }
      out[i] = s0 + s1 + s2 + s3;
    }
    return out;
  }

  private rowsView(): Float32Array {
    return this.kernels
      ? new Float32Array(this.kernels.memory.buffer, this.rowsAt, this.capacity * this.padded)
      : this.jsRows;
  }

  /** Room for `rows` rows when adding: geometric growth (amortised), never past what one memory holds. */
  private grow(rows: number): void {
    if (rows <= this.capacity) return;
    const cap = this.kernels ? EmbeddingIndex.maxRows(this.dim) : Infinity;
    this.resize(rows, Math.max(rows, Math.min(this.capacity * 2, cap), 64));
  }

  /** Grows storage to `capacity` rows (at least `need`), keeping what is stored. */
  private resize(need: number, capacity: number): void {
    const rowBytes = this.padded * 4;
    if (this.kernels) {
      const max = EmbeddingIndex.maxRows(this.dim);
      if (need > max) {
        throw new Error(
          `an index of ${need.toLocaleString('en-US')} rows of ${this.dim} floats needs ${gib(need * rowBytes)} of WebAssembly memory; ` +
            `one memory holds at most ${gib(WASM_MEMORY_LIMIT)} (wasm32): ${max.toLocaleString('en-US')} rows of this dimension`,
        );
      }
      capacity = Math.min(capacity, max);
      const memory = this.kernels.memory;
      const want = this.rowsAt + capacity * rowBytes;
      const have = memory.buffer.byteLength;
      if (want > have) {
        try {
          // the same memory, grown: the rows stay where they are (engines with reserved address space do not copy)
          memory.grow(Math.ceil((want - have) / WASM_PAGE));
        } catch (e) {
          throw new Error(
            `an index of ${need.toLocaleString('en-US')} rows of ${this.dim} floats needs ${gib(this.rowsAt + need * rowBytes)} of WebAssembly memory, ` +
              `and this browser would not grow one past ${gib(have)} (${e instanceof Error ? e.message : String(e)})`,
          );
        }
      }
    } else {
      const rows = new Float32Array(capacity * this.padded);
      rows.set(this.jsRows.subarray(0, this.size * this.padded));
      this.jsRows = rows;
    }
    this.capacity = capacity;
  }
}

/**
 * Writes n rows of `x` (flat, `dim` per row), each divided by its L2 norm, into `rows` (`padded` per row)
 * from float `at`. A zero row stays zero: it scores 0 against every query.
 */
function normaliseInto(x: Float32Array | Float64Array, rows: Float32Array, n: number, dim: number, padded: number, at: number): void {
  for (let r = 0; r < n; r++) {
    const i = r * dim;
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += x[i + j] * x[i + j];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    const o = at + r * padded;
    for (let j = 0; j < dim; j++) rows[o + j] = x[i + j] * inv;
  }
}

/**
 * The k best scores, highest first; ties go to the lower index. `skip` drops rows (e.g. the
 * query image itself). NaN scores are never returned. O(n log k) with a min-heap.
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: (i: number) => boolean): Ranked[] {
  const heap: Ranked[] = [];
  // "worse" = lower score, or equal score and higher index
  const worse = (a: Ranked, b: Ranked) => a.score < b.score || (a.score === b.score && a.index > b.index);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  if (k <= 0) return [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (Number.isNaN(score) || (skip && skip(i))) continue;
    const item = { index: i, score };
    if (heap.length < k) {
      heap.push(item);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c], heap[p])) break;
        [heap[c], heap[p]] = [heap[p], heap[c]];
        c = p;
      }
    } else if (worse(heap[0], item)) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => b.score - a.score || a.index - b.index);
}

/** Float64 cosine of the query to each row of a flat array: the reference for tests and small sets. */
export function cosineScoresExact(flat: ArrayLike<number>, dim: number, query: ArrayLike<number>): Float64Array {
  const n = Math.floor(flat.length / dim);
  let qq = 0;
  for (let j = 0; j < dim; j++) qq += query[j] * query[j];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let rr = 0;
    for (let j = 0; j < dim; j++) {
      const v = flat[i * dim + j];
      s += v * query[j];
      rr += v * v;
    }
    out[i] = rr > 0 && qq > 0 ? s / Math.sqrt(rr * qq) : 0;
  }
  return out;
}
