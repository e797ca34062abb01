import { describe, expect, it } from 'vitest';
import { embeddingMap, pca } from './embed-map';
import { gaussianSource, mulberry32 } from '../math/rng';

describe('PCA', () => {
  it('finds known principal axes and variances', () => {
    // 4 points (±3u ± v) + offset, u = (1,1,0)/√2, v = (1,-1,0)/√2: sample covariance 12 uuᵀ + (4/3) vvᵀ
    const u = [Math.SQRT1_2, Math.SQRT1_2, 0];
    const v = [Math.SQRT1_2, -Math.SQRT1_2, 0];
    const rows = [[1, 1], [1, -1], [-1, 1], [-1, -1]].map(([a, b]) => u.map((_, j) => 3 * a * u[j] + b * v[j] + [5, -2, 1][j]));
    const m = pca(rows, 2, 0);
    expect(m.components[0][0]).toBeCloseTo(Math.SQRT1_2, 10);
    expect(m.components[0][1]).toBeCloseTo(Math.SQRT1_2, 10);
    expect(Math.abs(m.components[1][0])).toBeCloseTo(Math.SQRT1_2, 10);
    expect(m.components[1][1]).toBeCloseTo(-m.components[1][0], 10);
    expect(m.variances[0]).toBeCloseTo(12, 10);
    expect(m.variances[1]).toBeCloseTo(4 / 3, 10);
    expect(Array.from(m.mean)).toEqual([5, -2, 1].map((x) => expect.closeTo(x, 12)));
    // the same for any seed (the sign is fixed by the largest entry)
    expect(Array.from(pca(rows, 2, 99).components[0])).toEqual(Array.from(m.components[0]).map((x) => expect.closeTo(x, 10)));
  });
});

function clusters(n: number, dim: number, seed: number) {
  const normal = gaussianSource(mulberry32(seed));
  const centres = [0, 1, 2].map(() => Array.from({ length: dim }, () => normal()));
  const flat: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(i % 3);
    for (let j = 0; j < dim; j++) flat.push(centres[i % 3][j] + 0.15 * normal());
  }
  return { flat, labels };
}

/** Share of points whose nearest other point (in the map) has the same label. */
function neighbourAgreement(points: Float64Array, labels: number[]): number {
  let agree = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < labels.length; j++) {
      if (j === i) continue;
      const d = (points[2 * i] - points[2 * j]) ** 2 + (points[2 * i + 1] - points[2 * j + 1]) ** 2;
      if (d < bestD) [bestD, best] = [d, j];
    }
    if (labels[best] === labels[i]) agree++;
  }
  return agree / labels.length;
}

describe('embeddingMap', () => {
  it('uses PCA for few points and places extra points with the same projection', () => {
    const { flat, labels } = clusters(30, 16, 2);
    const m = embeddingMap(flat, 16, { extra: flat.slice(0, 16) });
    expect(m.method).toBe('pca');
    expect(m.points).toHaveLength(60);
    expect(m.extra[0]).toBeCloseTo(m.points[0], 10);
    expect(m.extra[1]).toBeCloseTo(m.points[1], 10);
    expect(neighbourAgreement(m.points, labels)).toBe(1);
  });

  it('uses UMAP for many points, deterministically for a seed, keeping clusters apart', () => {
    const { flat, labels } = clusters(120, 16, 3);
    const a = embeddingMap(flat, 16, { seed: 7, nEpochs: 100 });
    const b = embeddingMap(flat, 16, { seed: 7, nEpochs: 100 });
    expect(a.method).toBe('umap');
    expect(Array.from(a.points)).toEqual(Array.from(b.points));
    expect(a.points.every(Number.isFinite)).toBe(true);
    expect(neighbourAgreement(a.points, labels)).toBeGreaterThan(0.95);
    const c = embeddingMap(flat, 16, { seed: 8, nEpochs: 100 });
    expect(Array.from(c.points)).not.toEqual(Array.from(a.points));
  });
});
