import { describe, expect, it } from 'vitest';
import { agreement, averagePrecision, meanStd, prCurve, precisionAt, rankingMetrics, recallAt, topKOverlap } from './ranking-metrics';
import { injectNoise } from './inject-noise';
import { mulberry32 } from '../../math/rng';

describe('ranking metrics', () => {
  it('AP by hand: hits at ranks 1 and 3 of 4 give (1 + 2/3) / 2', () => {
    expect(averagePrecision([0.9, 0.8, 0.7, 0.6], [0, 2])).toBeCloseTo(5 / 6, 12);
  });
  it('tied scores enter together (as scikit-learn): one hit tied with one miss gives AP 1/2', () => {
    expect(averagePrecision([1, 1, 0], [0])).toBeCloseTo(0.5, 12);
    expect(prCurve([1, 1, 0], [0])).toEqual([
      { recall: 1, precision: 0.5 },
      { recall: 1, precision: 1 / 3 },
    ]);
  });
  it('a perfect score gives AP 1, precision at k 1, and full recall once k items are reviewed', () => {
    const n = 1000;
    const errors = [3, 50, 77, 400, 401, 999, 12, 640, 641, 642];
    const scores = Array.from({ length: n }, (_, i) => (errors.includes(i) ? 2 + i / n : i / n));
    const m = rankingMetrics(scores, errors);
    expect(m.ap).toBe(1);
    expect(m.precision_at_k).toBe(1);
    expect(m.recall_at_1pct).toBe(1); // 10 reviewed, 10 errors
    expect(m.recall_at_5pct).toBe(1);
  });
  it('an inverted score gives AP near its floor and no recall at 1%', () => {
    const errors = [0, 1, 2, 3, 4];
    const scores = Array.from({ length: 500 }, (_, i) => i);
    expect(recallAt(scores, errors, 0.01)).toBe(0);
    expect(precisionAt(scores, errors, 5)).toBe(0);
    expect(averagePrecision(scores, errors)).toBeLessThan(0.02);
  });
  it('a random score has AP ≈ the noise rate over seeds', () => {
    const aps: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const labels = Array.from({ length: 2000 }, (_, i) => i % 10);
      const { flipped } = injectNoise(labels, 10, { kind: 'uniform', rate: 0.1 }, seed);
      const rand = mulberry32(1000 + seed);
      aps.push(averagePrecision(Array.from({ length: 2000 }, rand), flipped));
    }
    const { mean } = meanStd(aps);
    // 0.015: a random ranking's AP has mean ≈ rate (+ ~1/n) and sd ≈ 0.008 at n = 2000, so the mean of
    // 20 is within ±0.005 at 3σ; the bound leaves room without letting a real signal (AP ≫ 0.1) pass
    expect(Math.abs(mean - 0.1)).toBeLessThan(0.015);
  });
  it('top-k overlap and agreement', () => {
    expect(topKOverlap([5, 4, 3, 2, 1], [5, 1, 4, 2, 3], 2)).toBe(0.5);
    const a = agreement({ x: [1, 2, 3, 4], y: [4, 3, 2, 1] }, 2);
    expect(a.spearman[0][1]).toBeCloseTo(-1, 12);
    expect(a.overlap[0][1]).toBe(0);
    expect(a.overlap[1][1]).toBe(1);
  });
});

describe('injectNoise', () => {
  it('flips exactly round(rate × n) labels, each to another class, reproducibly', () => {
    const labels = Array.from({ length: 503 }, (_, i) => i % 7);
    const a = injectNoise(labels, 7, { kind: 'uniform', rate: 0.2 }, 3);
    expect(a.flipped.length).toBe(Math.round(0.2 * 503));
    for (let i = 0; i < labels.length; i++) expect(a.labels[i] !== labels[i]).toBe(a.flipped.includes(i));
    expect(injectNoise(labels, 7, { kind: 'uniform', rate: 0.2 }, 3)).toEqual(a);
    expect(injectNoise(labels, 7, { kind: 'uniform', rate: 0.2 }, 4).flipped).not.toEqual(a.flipped);
  });
  it('uniform noise spreads over the other classes', () => {
    const labels = new Array(7000).fill(0);
    const { labels: noisy } = injectNoise(labels, 8, { kind: 'uniform', rate: 1 }, 9);
    const counts = new Array(8).fill(0);
    for (const y of noisy) counts[y]++;
    expect(counts[0]).toBe(0);
    // 1000 expected per other class; binomial sd ≈ 29, so ±150 is over 5σ
    for (let k = 1; k < 8; k++) expect(Math.abs(counts[k] - 1000)).toBeLessThan(150);
  });
  it('class-conditional noise follows the chosen confusion and skips unmapped classes', () => {
    const labels = Array.from({ length: 300 }, (_, i) => i % 3);
    const { labels: noisy, flipped } = injectNoise(labels, 3, { kind: 'class-conditional', rate: 0.2, confusion: [1, -1, 2] }, 5);
    expect(flipped.length).toBe(60);
    for (const i of flipped) {
      expect(labels[i]).toBe(0);
      expect(noisy[i]).toBe(1);
    }
  });
  it('rejects a rate outside [0, 1]', () => {
    expect(() => injectNoise([0, 1], 2, { kind: 'uniform', rate: 1.5 }, 1)).toThrow(/noise rate must be in \[0, 1\], got 1.5/);
  });
});
