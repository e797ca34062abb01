import { describe, expect, it } from 'vitest';
import { gaussianSource, mulberry32 } from '../math/rng';
import { selfTrain, selfTrainSweep } from './self-train';

/**
 * Three Gaussian classes around the unit circle (radius 2, noise 0.7). The target domain is the
 * source rotated by 45°, so the source-only probe puts a fifth of the target on the wrong side.
 */
function domain(n: number, rotation: number, seed: number) {
  const normal = gaussianSource(mulberry32(seed));
  const x = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const a = (2 * Math.PI * c) / 3 + rotation;
    labels[i] = c;
    x[i * 2] = 2 * Math.cos(a) + 0.7 * normal();
    x[i * 2 + 1] = 2 * Math.sin(a) + 0.7 * normal();
  }
  return { x, dim: 2, labels };
}

const source = domain(90, 0, 1);
const target = domain(900, Math.PI / 4, 2);

describe('selfTrain', () => {
  it('improves target accuracy on a two-domain problem (AVH selection)', () => {
    const r = selfTrain({ source, target, classCount: 3, by: 'avh', threshold: 0.15, rounds: 8, l2: 1e-3 });
    const gain = r.rounds[7].targetAccuracy! - r.initialAccuracy!;
    console.info(`self-training (AVH < 0.15): target accuracy ${r.initialAccuracy!.toFixed(3)} -> ${r.rounds[7].targetAccuracy!.toFixed(3)} (+${(100 * gain).toFixed(1)} points), coverage ${r.rounds[7].coverage.toFixed(2)}`);
    // measured: 0.791 -> 0.927 (+13.6 points)
    expect(r.initialAccuracy).toBeGreaterThan(0.75);
    expect(r.initialAccuracy).toBeLessThan(0.83);
    expect(gain).toBeGreaterThan(0.08);
    // selected pseudo-labels are mostly right, and the target is only partly covered
    expect(r.rounds[7].pseudoLabelAccuracy).toBeGreaterThan(0.95);
    expect(r.rounds[0].coverage).toBeGreaterThan(0.3);
    expect(r.rounds[0].coverage).toBeLessThan(0.9);
  });

  it('also runs the confidence baseline, and is deterministic', () => {
    const a = selfTrain({ source, target, classCount: 3, by: 'confidence', threshold: 0.9, rounds: 3 });
    const b = selfTrain({ source, target, classCount: 3, by: 'confidence', threshold: 0.9, rounds: 3 });
    expect(a.rounds).toEqual(b.rounds);
    expect(a.rounds[2].targetAccuracy!).toBeGreaterThan(a.initialAccuracy!);
  });

  it('reports coverage growing with the AVH threshold', () => {
    const sweep = selfTrainSweep({ source, target, classCount: 3, by: 'avh', rounds: 1 }, [0.05, 0.1, 0.2, 0.34]);
    const coverage = sweep.map((p) => p.coverage);
    for (let i = 1; i < coverage.length; i++) expect(coverage[i]).toBeGreaterThanOrEqual(coverage[i - 1]);
    expect(coverage[0]).toBeLessThan(0.2);
    expect(coverage[3]).toBe(1); // each prediction here is also the nearest class by angle, whose AVH is at most 1/3
  });

  it('rejects a target whose size does not match its labels', () => {
    expect(() => selfTrain({ source, target: { x: target.x, labels: [0, 1] }, classCount: 3, by: 'avh', threshold: 0.2 })).toThrow(/900 embeddings but 2 labels/);
  });
});
