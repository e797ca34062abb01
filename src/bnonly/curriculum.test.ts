import { describe, expect, it } from 'vitest';
import { completeOrder, nextBatch, parseCurriculum, poolSize } from './curriculum';
import { Rng } from '../math/rng';

describe('linear pacing', () => {
  it('starts at the easiest 20% and reaches the whole set at the given share of the steps', () => {
    const p = { start: 0.2, full: 0.5 };
    // n = 1000, 100 steps: pool = ceil(1000 * (0.2 + 0.8 * t / 50))
    expect(poolSize(1000, 0, 100, p)).toBe(200);
    expect(poolSize(1000, 25, 100, p)).toBe(600);
    expect(poolSize(1000, 49, 100, p)).toBe(984);
    expect(poolSize(1000, 50, 100, p)).toBe(1000);
    expect(poolSize(1000, 99, 100, p)).toBe(1000);
    expect(poolSize(10, 0, 100, { start: 0, full: 0.5 })).toBe(1);
    expect(poolSize(10, 3, 10, { start: 0.5, full: 0 })).toBe(10);
  });
});

describe('curriculum sampler', () => {
  // easiest first: a reversed order so "easy" indices are the high ones
  const n = 500;
  const curriculum = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
  const pacing = { start: 0.2, full: 0.5 };
  const steps = 40;
  const batch = 32;
  const stream = (seed: number) => {
    const rng = new Rng(seed);
    const s = { order: new Int32Array(0), cursor: 0 };
    const out: Int32Array[] = [];
    for (let t = 0; t < steps; t++) out.push(nextBatch(rng, s, n, batch, curriculum, poolSize(n, t, steps, pacing)));
    return out;
  };

  it('draws only from the easy pool early and from the whole set by the end', () => {
    const b = stream(7);
    for (let t = 0; t < steps; t++) {
      const pool = poolSize(n, t, steps, pacing);
      const easy = new Set(curriculum.subarray(0, pool));
      for (const i of b[t]) expect(easy.has(i), `step ${t}: index ${i} outside the easiest ${pool}`).toBe(true);
    }
    // step 0: only the 100 easiest (indices 400..499)
    expect(Math.min(...b[0])).toBeGreaterThanOrEqual(400);
    // the last 20 steps see the whole set: 640 draws over 500 images reach far into the hard end
    const late = new Set(b.slice(20).flatMap((x) => [...x]));
    expect(Math.min(...late)).toBeLessThan(50);
    // within one pool a batch has no repeats (a shuffle, not draws with replacement)
    expect(new Set(b[30]).size).toBe(batch);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(stream(7)).toEqual(stream(7));
    expect(stream(8)[0]).not.toEqual(stream(7)[0]);
  });

  it('resumes bit-identically from the state a checkpoint keeps (rng state, order, cursor) and the step', () => {
    const full = stream(11);
    const rng = new Rng(11);
    const s = { order: new Int32Array(0), cursor: 0 };
    for (let t = 0; t < 17; t++) nextBatch(rng, s, n, batch, curriculum, poolSize(n, t, steps, pacing));
    // what app/workers/bnonly-checkpoint.ts saves, restored into a fresh stream
    const saved = { s: (rng as unknown as { s: number }).s, order: s.order.slice(), cursor: s.cursor };
    const rng2 = new Rng(0);
    (rng2 as unknown as { s: number }).s = saved.s;
    const s2 = { order: saved.order, cursor: saved.cursor };
    for (let t = 17; t < steps; t++) expect(nextBatch(rng2, s2, n, batch, curriculum, poolSize(n, t, steps, pacing))).toEqual(full[t]);
  });

  it('without a curriculum is the plain epoch shuffle', () => {
    const rng = new Rng(3);
    const s = { order: new Int32Array(0), cursor: 0 };
    const a = [...nextBatch(rng, s, 10, 6, null, 10), ...nextBatch(rng, s, 10, 4, null, 10)];
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(new Rng(3).shuffle(10))).toEqual(a);
  });
});

describe('curriculum order files', () => {
  it('completes a partial order with the unranked images last', () => {
    const c = completeOrder([4, 2, 2, 9, -1, 0], 6);
    expect(Array.from(c.order)).toEqual([4, 2, 0, 1, 3, 5]);
    expect(c.ranked).toBe(3);
    expect(c.ignored).toBe(3);
  });

  it('reads the hardness export, plain index lists, and names the file in errors', () => {
    const j = JSON.stringify({ format: 'clip-lab/curriculum', dataset: 'fashion-mnist', split: 'train', images: [{ path: 'a', index: 3 }, { path: 'b', index: 1 }] });
    expect(parseCurriculum(j, 'c.json')).toEqual({ indices: [3, 1], dataset: 'fashion-mnist', split: 'train' });
    expect(parseCurriculum('[2,0,1]', 'o.json').indices).toEqual([2, 0, 1]);
    expect(() => parseCurriculum('{', 'bad.json')).toThrow(/^bad\.json: not JSON/);
    expect(() => parseCurriculum('{"images":[{"path":"x"}]}', 'clip.json')).toThrow(/clip\.json: images\[0\] has no "index"/);
    expect(() => parseCurriculum('[1.5]', 'f.json')).toThrow(/f\.json: entry\[0\] is not a non-negative integer/);
  });
});
