import { describe, expect, it } from 'vitest';
import { hardestPerClass, averageRanks, easyToHard, spearman } from './rank';
import { perClassHistograms } from './histogram';
import { scoresFromLogits } from './scores';
import { suspectedLabelErrors } from './label-errors';

describe('logit scores', () => {
  it('computes confidence, entropy and margin', () => {
    const s = scoresFromLogits([Math.log(6), Math.log(3), Math.log(1)]);
    expect(s.predicted).toBe(0);
    expect(s.confidence).toBeCloseTo(0.6, 15);
    expect(s.margin).toBeCloseTo(0.3, 15);
    expect(s.entropy).toBeCloseTo(-(0.6 * Math.log(0.6) + 0.3 * Math.log(0.3) + 0.1 * Math.log(0.1)), 14);
    // large logits (CLIP's scale 100) do not overflow
    expect(scoresFromLogits([3000, 2990]).confidence).toBeCloseTo(1 / (1 + Math.exp(-10)), 14);
  });
});

describe('ranks', () => {
  it('averages tied ranks (scipy.stats.rankdata)', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5, 20]))).toEqual([2, 4, 4, 1, 4]);
  });

  it('gives Spearman rho equal to scipy on data with ties', () => {
    // scipy.stats.spearmanr([1,2,2,3,5,4], [2,1,3,3,6,5]).statistic (scipy 1.17)
    const a = [1, 2, 2, 3, 5, 4];
    const b = [2, 1, 3, 3, 6, 5];
    expect(spearman(a, b)).toBeCloseTo(0.8676470588235294, 14);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBeCloseTo(-1, 15);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('sorts easy to hard and lists the hardest per class', () => {
    const avh = [0.3, 0.1, 0.5, 0.2, 0.05];
    const labels = [0, 1, 0, 1, 0];
    expect(easyToHard(avh)).toEqual([4, 1, 3, 0, 2]);
    expect(hardestPerClass(avh, labels, 2, 2)).toEqual([[2, 0], [3, 1]]);
  });

  it('bins per class on shared edges', () => {
    const h = perClassHistograms([0, 0.1, 0.5, 0.9, 1], [0, 0, 1, 1, 1], 2, 2, [0, 1]);
    expect(h.edges).toEqual([0, 0.5, 1]);
    expect(h.counts).toEqual([[2, 0], [0, 3]]);
  });
});

describe('suspected label errors', () => {
  it('flags high AVH with a confident other prediction, and only those', () => {
    const avh = [0.5, 0.5, 0.1, 0.5];
    const probs = [
      [0.05, 0.95], // label 0, predicted 1 confidently, high AVH -> flagged
      [0.4, 0.6], // predicted 1 but not confident
      [0.02, 0.98], // confident other class but low AVH
      [0.97, 0.03], // agrees with its label
    ];
    const labels = [0, 0, 0, 0];
    expect(suspectedLabelErrors(avh, probs, labels, { minAvh: 0.4, minConfidence: 0.9 })).toEqual([
      { index: 0, label: 0, predicted: 1, avh: 0.5, confidence: 0.95 },
    ]);
  });
});

describe('hardnessReport', () => {
  it('scores, orders and correlates on class vectors at known angles', async () => {
    const { hardnessReport } = await import('./report');
    const { rowsOf } = await import('./avh');
    const deg = (d: number) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)];
    const W = [deg(0), deg(90)];
    // embeddings at 5°, 40°, 20°, all labelled 0: AVH = θ / 90
    const Z = rowsOf(Float64Array.from([...deg(5), ...deg(40), ...deg(20)]), 2);
    const logits = Z.map((z) => W.map((w) => 10 * (z[0] * w[0] + z[1] * w[1]))); // scale 10: no probability saturates to exactly 1
    const r = hardnessReport(Z, W, [0, 0, 0], logits);
    expect(Array.from(r.avh)).toEqual([5 / 90, 40 / 90, 20 / 90].map((v) => expect.closeTo(v, 14)));
    expect(r.order).toEqual([0, 2, 1]);
    expect(Array.from(r.predicted)).toEqual([0, 0, 0]);
    expect(r.correlation.confidence).toBeCloseTo(-1, 14);
    expect(r.correlation.entropy).toBeCloseTo(1, 14);
    expect(r.correlation.margin).toBeCloseTo(-1, 14);
  });
});
