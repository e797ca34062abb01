import { describe, expect, it } from 'vitest';
import { EmbeddingIndex, cosineScoresExact, topK } from './search-rank';
import { gaussianSource, mulberry32 } from '../math/rng';

const deg = (d: number) => (d * Math.PI) / 180;

describe.each([true, false])('EmbeddingIndex (simd %s)', (simd) => {
  // 2-D rows at known angles (various norms); the query points along 0°
  const angles = [80, 10, 45, 0, 170, 30];
  const flat = angles.flatMap((a, i) => [(i + 1) * Math.cos(deg(a)), (i + 1) * Math.sin(deg(a))]);

  it('ranks by cosine, highest first, with exact scores', () => {
    const index = EmbeddingIndex.from(flat, 2, { simd });
    const ranked = index.search([5, 0], 3);
    expect(ranked.map((r) => r.index)).toEqual([3, 1, 5]);
    expect(ranked[0].score).toBeCloseTo(1, 6);
    expect(ranked[1].score).toBeCloseTo(Math.cos(deg(10)), 6);
    expect(ranked[2].score).toBeCloseTo(Math.cos(deg(30)), 6);
    expect(Array.from(index.scores([0, 2]))).toEqual(angles.map((a) => expect.closeTo(Math.sin(deg(a)), 6)));
  });

  it('finds more like this, excluding the image itself', () => {
    const index = EmbeddingIndex.from(flat, 2, { simd });
    // from row 2 (45°): 30° (row 5) then 80° (row 0) / 10° (row 1) at 35° each; ties go to the lower index
    expect(index.moreLikeThis(2, 3).map((r) => r.index)).toEqual([5, 0, 1]);
    expect(() => index.moreLikeThis(6, 1)).toThrow(/no embedding at index 6/);
  });

  it('groups near duplicates transitively', () => {
    // groups: {0,3,7} via chains at 3° apart, {2,5}; 1, 4, 6 alone
    const at = [0, 100, 200, 3, 300, 201, 150, 6].map(deg);
    const rows = at.flatMap((a) => [Math.cos(a), Math.sin(a), 0]);
    const index = EmbeddingIndex.from(rows, 3, { simd });
    const threshold = Math.cos(deg(3.5));
    expect(index.nearDuplicateGroups(threshold)).toEqual([[0, 3, 7], [2, 5]]);
    // 0 and 7 are 6° apart, joined only through 3; under 3° the chain breaks, 2 and 5 (1°) stay
    expect(index.nearDuplicateGroups(Math.cos(deg(2.5)))).toEqual([[2, 5]]);
    expect(index.nearDuplicateGroups(Math.cos(deg(0.5)))).toEqual([]);
    expect(() => index.nearDuplicateGroups(2)).toThrow(/threshold/);
  });

  it('grows when rows are appended and matches float64 cosines', () => {
    const normal = gaussianSource(mulberry32(3));
    const d = 37; // not a multiple of 16: exercises the padding
    const all = Float32Array.from({ length: 300 * d }, () => normal());
    const index = new EmbeddingIndex(d, { simd });
    expect(index.add(all.subarray(0, 50 * d))).toBe(0);
    expect(index.add(all.subarray(50 * d))).toBe(50);
    expect(index.count).toBe(300);
    const q = Array.from({ length: d }, () => normal());
    const got = index.scores(q);
    const want = cosineScoresExact(all, d, q);
    let maxErr = 0;
    for (let i = 0; i < 300; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
    expect(maxErr).toBeLessThan(1e-6);
    const top = index.search(q, 5).map((r) => r.index);
    const byExact = Array.from(want.keys()).sort((a, b) => want[b] - want[a]).slice(0, 5);
    expect(top).toEqual(byExact);
  });

  it('keeps every row exact across growth (many small adds, then one past a doubling)', () => {
    const normal = gaussianSource(mulberry32(5));
    for (const d of [37, 64]) {
      const parts = [1, 63, 1, 200, 7, 500].map((n) => Float32Array.from({ length: n * d }, () => normal()));
      const index = new EmbeddingIndex(d, { simd });
      const firsts = parts.map((p) => index.add(p));
      expect(firsts).toEqual([0, 1, 64, 65, 265, 272]);
      expect(index.count).toBe(772);
      // the reference: each row normalised on its own (float64 norm, float32 result), as add does
      const want = new Float32Array(772 * d);
      let at = 0;
      for (const p of parts) {
        for (let r = 0; r < p.length / d; r++, at++) {
          let ss = 0;
          for (let j = 0; j < d; j++) ss += p[r * d + j] * p[r * d + j];
          const inv = 1 / Math.sqrt(ss);
          for (let j = 0; j < d; j++) want[at * d + j] = p[r * d + j] * inv;
        }
      }
      for (const i of [0, 1, 63, 64, 65, 264, 265, 271, 272, 771]) expect(index.row(i)).toEqual(want.subarray(i * d, (i + 1) * d));
      // flatRows: every row, row-major, equal to row(i); a view of the storage when d is a multiple of 16
      const flat = index.flatRows();
      expect(flat).toEqual(want);
      expect(index.flatRowsAreView).toBe(d % 16 === 0);
      // a search after growth reads the grown storage
      expect(index.search(parts[5].subarray(3 * d, 4 * d), 1)[0]).toEqual({ index: 275, score: expect.closeTo(1, 6) });
    }
  });

  it('reserves exactly up front: no growth while the reserved rows are added, so a view stays valid', () => {
    const d = 32;
    const index = new EmbeddingIndex(d, { simd });
    index.reserve(100);
    index.add(new Float32Array(40 * d).fill(1));
    const view = index.flatRows();
    index.add(new Float32Array(60 * d).fill(2));
    expect(view.length).toBe(40 * d);
    expect(view[0]).toBeCloseTo(1 / Math.sqrt(d), 7);
    expect(index.flatRows().length).toBe(100 * d);
    expect(index.flatRows()[99 * d]).toBeCloseTo(1 / Math.sqrt(d), 7);
    expect(() => index.reserve(-1)).toThrow(/cannot reserve -1 rows/);
  });

  it('rejects a query of the wrong dimension', () => {
    expect(() => EmbeddingIndex.from(flat, 2, { simd }).search([1, 2, 3], 1)).toThrow(/query has 3 numbers/);
  });
});

describe('EmbeddingIndex storage limit (one wasm32 memory)', () => {
  it('refuses an index that would not fit in 4 GiB, naming the rows and the limit, before allocating', () => {
    const index = new EmbeddingIndex(512);
    expect(index.usesSimd).toBe(true);
    const max = EmbeddingIndex.maxRows(512);
    // 1,000,000 × 512 floats (1.91 GiB) fits with room to spare; about 2.1 million rows is the most
    expect(max).toBeGreaterThan(2_000_000);
    expect(max).toBeLessThan(2_097_152);
    expect(() => index.reserve(max + 1)).toThrow(new RegExp(`an index of ${(max + 1).toLocaleString('en-US')} rows of 512 floats needs 4\\.00 GiB of WebAssembly memory; one memory holds at most 4\\.00 GiB \\(wasm32\\): ${max.toLocaleString('en-US')} rows`));
    expect(() => index.reserve(3_000_000)).toThrow(/3,000,000 rows of 512 floats needs 5\.72 GiB/);
    expect(index.count).toBe(0);
    // the same through add: the rows are refused, nothing is stored
    const tooMany = { length: (max + 1) * 512 } as ArrayLike<number>;
    expect(() => index.add(tooMany)).toThrow(/rows of 512 floats needs/);
    expect(index.count).toBe(0);
  });
});

describe('topK', () => {
  it('keeps the k best, ties by lower index, skipping NaN', () => {
    expect(topK([0.5, NaN, 0.9, 0.5, 0.1, 0.9], 4)).toEqual([
      { index: 2, score: 0.9 },
      { index: 5, score: 0.9 },
      { index: 0, score: 0.5 },
      { index: 3, score: 0.5 },
    ]);
    expect(topK([1, 2], 0)).toEqual([]);
    expect(topK([1, 2], 10).map((r) => r.index)).toEqual([1, 0]);
  });
});

describe('ranking latency', () => {
  it('ranks 100,000 × 512 embeddings quickly', () => {
    const n = 100_000;
    const d = 512;
    const rand = mulberry32(1);
    const flat = new Float32Array(n * d);
    for (let i = 0; i < flat.length; i++) flat[i] = rand() - 0.5;
    const index = EmbeddingIndex.from(flat, d);
    const q = Float32Array.from({ length: d }, () => rand() - 0.5);
    index.search(q, 10); // warm-up
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      index.search(q, 10);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.info(`rank 100,000 x 512 (top 10, simd ${index.usesSimd}): median ${times[2].toFixed(1)} ms, best ${times[0].toFixed(1)} ms`);
    expect(index.usesSimd).toBe(true);
    expect(times[0]).toBeLessThan(200); // generous on shared cores; measured ~10-20 ms
  });
});
