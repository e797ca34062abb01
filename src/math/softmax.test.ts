import { describe, expect, it } from 'vitest';
import { softmax } from './softmax';

describe('softmax', () => {
  it('matches exp(x) / sum exp(x) and sums to 1', () => {
    const p = softmax([Math.log(6), Math.log(3), Math.log(1)]);
    expect(p).toEqual([0.6, 0.3, 0.1].map((v) => expect.closeTo(v, 15)));
    expect(softmax(Float32Array.from([1, 2, 3])).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
  });

  it('does not overflow on CLIP-scale logits', () => {
    const p = softmax([3000, 2990]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-10)), 14);
    expect(p.every(Number.isFinite)).toBe(true);
  });
});
