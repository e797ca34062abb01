import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/rng';
import { linearProbe } from './probe';

/** Gaussian-ish clusters around class means in 8-d: separable enough for a probe, not trivially. */
function clusters(perClass: number, classes: number, seed: number, spread: number) {
  const r = mulberry32(seed);
  const dim = 8;
  const x = new Float32Array(perClass * classes * dim);
  const labels = new Int32Array(perClass * classes);
  for (let i = 0; i < labels.length; i++) {
    const c = i % classes;
    labels[i] = c;
    for (let j = 0; j < dim; j++) x[i * dim + j] = (j === c ? 1 : 0) + spread * (r() + r() + r() - 1.5);
  }
  return { x, dim, labels };
}

describe('linear probe protocol', () => {
  it('picks C on held-out train, refits, beats chance by far; shots curve counts images per class', () => {
    const train = clusters(20, 4, 1, 0.6);
    const test = clusters(25, 4, 2, 0.6);
    const p = linearProbe(train, test, 4, { seed: 3 });
    expect(p.C_curve.length).toBe(13);
    expect(p.C_curve.map((c) => c.C)).toContain(p.C);
    expect(p.train_n).toBe(80);
    expect(p.top1).toBeGreaterThan(0.8);
    expect(p.shots.map((s) => [s.shots, s.n])).toEqual([
      [1, 4],
      [2, 8],
      [4, 16],
      [8, 32],
      [16, 64],
      ['all', 80],
    ]);
    // more shots help on average: 1-shot is not better than all
    expect(p.shots[5].top1).toBeGreaterThanOrEqual(p.shots[0].top1);
  });

  it('labels shuffled against the features give about chance (the probe cannot cheat)', () => {
    const train = clusters(20, 4, 1, 0.6);
    const test = clusters(50, 4, 2, 0.6);
    const shuffledLabels = Int32Array.from(test.labels, (_, i) => (test.labels[i] + 1 + (i % 3)) % 4);
    const p = linearProbe(train, { ...test, labels: shuffledLabels }, 4, { seed: 3 });
    expect(p.top1).toBeLessThan(0.3);
  });
});
