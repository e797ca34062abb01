import { describe, expect, it } from 'vitest';
import { crossValProbabilities, stratifiedFolds } from './cross-val';
import { accuracy, argmaxRows, probeProbabilities, trainProbe } from '../../math/linear-probe';
import { mulberry32 } from '../../math/rng';

describe('k-fold cross-validated probabilities', () => {
  it('stratified folds: each class spread evenly over the folds', () => {
    const labels = Array.from({ length: 103 }, (_, i) => (i < 50 ? 0 : i < 90 ? 1 : 2));
    const f = stratifiedFolds(labels, 3, 5, 1);
    const sizes = [0, 1, 2, 3, 4].map((k) => f.filter((v) => v === k).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const c of [0, 1, 2]) {
      const per = [0, 1, 2, 3, 4].map((k) => labels.filter((y, i) => y === c && f[i] === k).length);
      // dealt round-robin, continuing across classes: at most one apart
      expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
    }
    expect(() => stratifiedFolds([0, 1], 2, 1, 0)).toThrow(/folds must be an integer ≥ 2/);
  });

  it('are out of sample: random labels that the probe memorises in-sample score at chance', () => {
    // 120 points in 240 dimensions with coin-flip labels: a probe separates them in-sample, but
    // cannot predict held-out labels. Chance is 0.5, sd 0.046 at n = 120; 0.7 is over 4σ.
    const n = 120;
    const dim = 240;
    const rand = mulberry32(11);
    const x = Float32Array.from({ length: n * dim }, () => rand() * 2 - 1);
    const labels = Int32Array.from({ length: n }, () => (rand() < 0.5 ? 0 : 1));
    const inSample = accuracy(argmaxRows(probeProbabilities(trainProbe({ x, dim, labels }, { classCount: 2, l2: 1e-4 }).head, x), 2), labels);
    expect(inSample).toBeGreaterThan(0.95);
    const cv = crossValProbabilities(x, dim, labels, 2, { folds: 5, seed: 1, l2: 1e-4 });
    expect(accuracy(argmaxRows(cv, 2), labels)).toBeLessThan(0.7);
  });
});
