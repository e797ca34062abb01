import { describe, expect, it } from 'vitest';
import { compareJson, compareMethods } from './compare';
import { METHODS } from './error-scores';
import { mulberry32 } from '../../math/rng';

/** Four Gaussian clusters in 8-d around the class vectors (unit axes, scaled by 3). */
function clusters(n: number, seed: number) {
  const C = 4;
  const dim = 8;
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const classVectors = Array.from({ length: C }, (_, k) => Array.from({ length: dim }, (_, j) => (j === k ? 1 : 0)));
  const labels = Int32Array.from({ length: n }, (_, i) => i % C);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) x[i * dim + j] = (j === labels[i] ? 3 : 0) + gauss();
  return { embeddings: x, dim, classVectors, labels };
}

describe('compareMethods', () => {
  it('with 10% uniform noise every method beats chance; the JSON has exactly the issue keys', () => {
    const input = clusters(400, 2);
    const r = compareMethods(input, { methods: METHODS, noise: { kind: 'uniform', rate: 0.1 }, seed: 3, folds: 5 });
    expect(r.probsFrom).toBe('cross-validation');
    expect(r.injected!.length).toBe(40);
    for (const m of METHODS) {
      expect(r.methods[m].scores.length).toBe(400);
      // separated clusters: a method that finds flips ranks them far above the 0.1 of chance;
      // entropy ignores the label, so it only needs to beat chance
      expect(r.metrics![m].ap).toBeGreaterThan(m === 'entropy' ? 0.1 : 0.5);
    }
    const json = compareJson(r) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['methods', 'injected', 'metrics', 'noise_matrix']);
    expect(Object.keys((json.metrics as Record<string, object>).cl)).toEqual(['ap', 'precision_at_k', 'recall_at_1pct', 'recall_at_5pct']);
    const nm = json.noise_matrix as number[][];
    for (let j = 0; j < 4; j++) expect(nm.reduce((a, row) => a + row[j], 0)).toBeCloseTo(1, 12);
  });

  it('without noise: no injected or metrics keys; given probabilities are used as they are', () => {
    const input = clusters(80, 4);
    const probs = new Float64Array(80 * 4).fill(0.25);
    const r = compareMethods({ ...input, probs }, { methods: ['confidence'] });
    expect(r.probsFrom).toBe('given');
    expect(Object.keys(compareJson(r))).toEqual(['methods', 'noise_matrix']);
  });
});
