import { describe, expect, it } from 'vitest';
import { noiseSweep } from './sweep';
import { compareMethods } from './compare';
import { mulberry32 } from '../../math/rng';

/** Three 4-d Gaussian clusters; given probabilities: softmax of 3 × the first three coordinates. */
function data(n: number) {
  const rand = mulberry32(9);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = new Float32Array(n * 4);
  const probs = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === labels[i] ? 2 : 0) + gauss();
    const z = [0, 1, 2].map((k) => 3 * x[i * 4 + k]);
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e[0] + e[1] + e[2];
    e.forEach((v, k) => (probs[i * 3 + k] = v / s));
  }
  const classVectors = [0, 1, 2].map((k) => [0, 1, 2, 3].map((j) => (j === k ? 1 : 0)));
  return { embeddings: x, dim: 4, classVectors, labels, probs };
}

describe('noiseSweep', () => {
  it('summarises each seed run: means, sd, paired gap, ties of identical rankings', () => {
    const input = data(300);
    const seeds = [1, 2, 3];
    const [r] = noiseSweep(input, { rates: [0.1], seeds, methods: ['confidence', 'loss', 'entropy'] });
    const runs = seeds.map((seed) => compareMethods(input, { methods: ['confidence', 'loss', 'entropy'], noise: { kind: 'uniform', rate: 0.1 }, seed }));
    const aps = runs.map((x) => x.metrics!.confidence.ap);
    expect(r.methods.confidence.ap.values).toEqual(aps);
    expect(r.methods.confidence.ap.mean).toBeCloseTo((aps[0] + aps[1] + aps[2]) / 3, 12);
    // confidence and loss rank identically (loss = −ln p_y), so they tie and the runner-up is entropy
    expect([r.winner, ...r.tiedWith].sort()).toEqual(['confidence', 'loss']);
    expect(r.runnerUp).toBe('entropy');
    expect(r.gap.values).toEqual(aps.map((v, s) => v - runs[s].metrics!.entropy.ap));
    const hits = runs[0].methods.loss.issues.filter((i) => runs[0].injected!.includes(i)).length;
    expect(r.flagged.loss.precision.values[0]).toBeCloseTo(hits / runs[0].methods.loss.issues.length, 12);
  });
});
