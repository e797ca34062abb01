import { describe, expect, it } from 'vitest';
import { importedDataset } from './imported';
import { cosineOf } from '../../../src/models/scoring';

describe('an imported index as a hardness dataset', () => {
  it('turns cosines into the family’s logits (recoverable exactly), labels into class indexes, keeps the features', () => {
    const scoring = { kind: 'sigmoid' as const, scale: 117.3, bias: -12.9 };
    const cosines = Float64Array.from([0.31, -0.02, 0.12, 0.25, 0.2, 0.2]);
    const features = Float32Array.from([1, 0, 0, 1, 0.6, 0.8]);
    const d = importedDataset(
      { paths: ['/data/cats/a.png', 'dogs\\b.png', 'c.png'], labels: ['cats', 'dogs', null], dim: 2, features, cosines },
      { classes: ['cats', 'dogs'], scoring, model: 'org/m', dtype: 'fp32', key: 'k' },
    );
    expect(d.items.map((i) => i.label)).toEqual([0, 1, -1]);
    expect(d.items.map((i) => i.item.name)).toEqual(['a.png', 'b.png', 'c.png']);
    expect(d.labelled).toBe(2);
    d.items.forEach((it, r) => it.logits.forEach((l, k) => expect(Math.abs(cosineOf(l, scoring) - cosines[r * 2 + k])).toBeLessThan(1e-12)));
    // sigmoid family: independent probabilities per class
    expect(d.items[2].probs[0]).toBeCloseTo(d.items[2].probs[1], 12);
    expect(d.vectors).toEqual({ dim: 2, features });
    expect(d.vectors!.classVectors).toBeUndefined();
  });

  it('names features held by the hardness worker instead of carrying them', () => {
    const scoring = { kind: 'softmax' as const, scale: 100, bias: 0 };
    const d = importedDataset(
      { paths: ['a/x.png', 'y.png'], labels: ['a', 'b'], dim: 2, features: new Float32Array(0), cosines: Float64Array.from([0.3, 0.1, 0.2, 0.25]) },
      { classes: ['a', 'b'], scoring, model: 'org/m', dtype: 'fp32', key: 'k', held: 'index|k' },
    );
    expect(d.vectors).toEqual({ dim: 2, held: 'index|k' });
    expect(d.items.map((i) => [i.item.name, i.label])).toEqual([['x.png', 0], ['y.png', 1]]);
    expect(d.items[0].probs[0] + d.items[0].probs[1]).toBeCloseTo(1, 12);
  });
});
