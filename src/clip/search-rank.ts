/**
 * Cosine ranking over cached embeddings: text-to-image search, "more like this" and near-duplicate
 * groups. Rows are L2-normalised once when added, so a query costs one pass of dot products
 * (WebAssembly SIMD when available: ~10 ms for 100,000 × 512 here; plain JS otherwise).
 */
import { KernelArena, padDim, simdKernels, type Kernels } from '../math/simd-kernels';

export interface Ranked {
  index: number;
  score: number;
}

export class EmbeddingIndex {
  readonly dim: number;
  private readonly padded: number;
  private kernels: Kernels | null;
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
  }

  /** An index over n rows of `dim` floats stored flat (row-major). */
  static from(flat: ArrayLike<number>, dim: number, options: { simd?: boolean } = {}): EmbeddingIndex {
    const index = new EmbeddingIndex(dim, options);
    index.add(flat);
    return index;
  }

  get count(): number {
    return this.size;
  }

  get usesSimd(): boolean {
    return this.kernels !== null;
  }

  /** Appends rows (flat, a multiple of dim); returns the index of the first one added. */
  add(flat: ArrayLike<number>): number {
    const { dim, padded } = this;
    if (flat.length % dim !== 0) throw new Error(`embeddings hold ${flat.length} numbers, not a multiple of dimension ${dim}`);
    const n = flat.length / dim;
    const first = this.size;
    this.reserve(first + n);
    const rows = this.rowsView();
    for (let r = 0; r < n; r++) {
      let ss = 0;
      for (let j = 0; j < dim; j++) ss += flat[r * dim + j] * flat[r * dim + j];
      // a zero row stays zero: it scores 0 against every query
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      const o = (first + r) * padded;
      for (let j = 0; j < dim; j++) rows[o + j] = flat[r * dim + j] * inv;
    }
    this.size += n;
    return first;
  }

  /** The stored (normalised) row i. */
  row(i: number): Float32Array {
    this.checkRow(i);
    return this.rowsView().slice(i * this.padded, i * this.padded + this.dim);
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
    if (this.kernels) {
      const mem = new Float32Array(this.kernels.memory.buffer);
      mem.set(q, this.queryAt / 4);
      this.kernels.dots(this.rowsAt + from * dp * 4, this.queryAt, n, dp * 4, this.outAt);
      return new Float32Array(this.kernels.memory.buffer, this.outAt, n).slice();
    }
    const rows = this.jsRows;
    const out = new Float32Array(n);
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

  /** Grows storage (doubling) to hold `rows` rows, keeping what is stored. */
  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.max(rows, this.capacity * 2, 64);
    const old = this.rowsView().slice(0, this.size * this.padded);
    if (this.kernels) {
      const kernels = simdKernels();
      if (!kernels) throw new Error('WebAssembly SIMD became unavailable');
      const arena = new KernelArena(kernels);
      this.rowsAt = arena.alloc(capacity * this.padded);
      this.queryAt = arena.alloc(this.padded);
      this.outAt = arena.alloc(capacity);
      this.kernels = kernels;
    } else {
      this.jsRows = new Float32Array(capacity * this.padded);
    }
    this.capacity = capacity;
    this.rowsView().set(old);
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
