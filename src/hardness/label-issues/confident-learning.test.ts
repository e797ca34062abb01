import { describe, expect, it } from 'vitest';
import { calibrateJoint, confidentJoint, confidentThresholds, findLabelIssues, noiseMatrix, numLabelIssues, pruneCounts, roundPreservingSum, type FilterBy, type RankBy } from './confident-learning';
import { mulberry32 } from '../../math/rng';
import fixture from './fixtures/cleanlab.json';

interface CleanlabCase {
  labels: number[];
  probs: number[][];
  thresholds: number[];
  joint: number[][];
  calibrated: number[][];
  noise_matrix: number[][];
  issues: Record<string, number[]>;
  num_label_issues: number;
}

// Nine examples, three classes; i2 (labelled 0, looks like 1) and i7 (labelled 2, looks like 0) are
// the planted errors, i8 (labelled 0, unsure between 1 and 2) is a hard but unconfident one.
const rows = [
  [0.9, 0.05, 0.05],
  [0.7, 0.2, 0.1],
  [0.1, 0.8, 0.1],
  [0.1, 0.8, 0.1],
  [0.2, 0.6, 0.2],
  [0.1, 0.1, 0.8],
  [0.05, 0.15, 0.8],
  [0.6, 0.3, 0.1],
  [0.05, 0.4, 0.55],
];
const labels = [0, 0, 0, 1, 1, 2, 2, 2, 0];
const t = { probs: rows.flat(), classCount: 3, labels };

describe('confident learning, worked by hand', () => {
  it('thresholds are the mean self-confidence per given label', () => {
    // class 0: (0.9 + 0.7 + 0.1 + 0.05) / 4; class 1: (0.8 + 0.6) / 2; class 2: (0.8 + 0.8 + 0.1) / 3
    const th = confidentThresholds(t);
    expect(th[0]).toBeCloseTo(0.4375, 12);
    expect(th[1]).toBeCloseTo(0.7, 12);
    expect(th[2]).toBeCloseTo(1.7 / 3, 12);
  });

  it('counts the confident joint: i4 and i8 reach no threshold, i2 and i7 are off the diagonal', () => {
    const cj = confidentJoint(t, { calibrate: false });
    expect(cj.joint).toEqual([
      [2, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
    expect(Array.from(cj.guess)).toEqual([0, 0, 1, 1, -1, 2, 2, 0, -1]);
    expect(cj.offDiagonal).toEqual([2, 7]);
  });

  it('calibrates rows to the label counts (4, 2, 3) and rounds preserving row totals', () => {
    // row 0: [2, 1, 0] / 3 × 4 = [2.67, 1.33, 0] → [3, 1, 0]; row 1: [0, 1, 0] × 2; row 2 already sums to 3
    expect(confidentJoint(t).joint).toEqual([
      [3, 1, 0],
      [0, 2, 0],
      [1, 0, 2],
    ]);
  });

  it('estimates the noise matrix P(given | true) from the calibrated joint', () => {
    const nm = noiseMatrix(confidentJoint(t).joint);
    const want = [
      [3 / 4, 1 / 3, 0],
      [0, 2 / 3, 0],
      [1 / 4, 0, 1],
    ];
    nm.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 12)));
  });

  it('prune_by_noise_rate, prune_by_class and both flag the sets worked out by hand', () => {
    // prune = joint transposed: class 0 gives up 1 example to "true 1" (largest p1 − p0: i2), class 2
    // gives up 1 to "true 0" (largest p0 − p2: i7). By class: class 0 keeps 3 of 4, dropping the
    // smallest p0 (i8, 0.05); class 2 keeps 2 of 3, dropping i7.
    expect(pruneCounts(confidentJoint(t).joint)).toEqual([
      [3, 0, 1],
      [1, 2, 0],
      [0, 0, 2],
    ]);
    expect(findLabelIssues(t, { filterBy: 'prune_by_noise_rate' }).sort()).toEqual([2, 7]);
    expect(findLabelIssues(t, { filterBy: 'prune_by_class' }).sort()).toEqual([7, 8]);
    expect(findLabelIssues(t, { filterBy: 'both' })).toEqual([7]);
  });

  it('ranks by self-confidence or normalised margin', () => {
    // by class: i7 has p_y 0.1, i8 has 0.05 → i8 first; margins: i7 (0.1 − 0.6 + 1) / 2 = 0.25, i8 (0.05 − 0.55 + 1) / 2 = 0.25 → tie, by index
    expect(findLabelIssues(t, { filterBy: 'prune_by_class', rankBy: 'self_confidence' })).toEqual([8, 7]);
    expect(findLabelIssues(t, { filterBy: 'prune_by_class', rankBy: 'normalized_margin' })).toEqual([7, 8]);
  });

  it('num_label_issues (off_diagonal) counts i2 and i7', () => {
    expect(numLabelIssues(t)).toBe(2);
  });

  it('guesses the argmax when several classes reach their thresholds, else the one that does', () => {
    const two = { probs: [0.45, 0.55, 0.6, 0.4], classCount: 2, labels: [0, 0] };
    const cj = confidentJoint(two, { calibrate: false, thresholds: [0.3, 0.3] });
    expect(Array.from(cj.guess)).toEqual([1, 0]);
    // thresholds [0.7, 0.3]: only class 1 is confident in either row (0.55, 0.4 ≥ 0.3), though row 2's argmax is 0
    expect(Array.from(confidentJoint(two, { calibrate: false, thresholds: [0.7, 0.3] }).guess)).toEqual([1, 1]);
  });

  it('keeps at least min examples per class, taking the raise off the column noise counts', () => {
    // column 0 (given 0): diagonal 1 → 3, the two non-zero noise counts 4 and 2 lose 1 each
    const joint = [
      [1, 4, 2],
      [0, 5, 0],
      [0, 0, 5],
    ];
    expect(pruneCounts(joint, 3)).toEqual([
      [3, 0, 0],
      [3, 5, 0],
      [1, 0, 5],
    ]);
  });
});

describe('roundPreservingSum (cleanlab round_preserving_sum)', () => {
  it('moves the largest residuals, halves rounding to even first', () => {
    expect(roundPreservingSum([1.5, 1.5, 0])).toEqual([1, 2, 0]); // round → [2, 2, 0] = 4 > 3: the first of the tied −0.5 residuals goes down
    expect(roundPreservingSum([0.5, 0.5, 0.5, 0.5])).toEqual([0, 0, 1, 1]); // round → 0s, 2 up: numpy's reversed argsort takes the last two
    expect(roundPreservingSum([8 / 3, 4 / 3, 0])).toEqual([3, 1, 0]);
  });
  it('calibration keeps each row total equal to its label count', () => {
    const cj = calibrateJoint(
      [
        [5, 1, 1],
        [2, 7, 1],
        [1, 1, 3],
      ],
      [...Array(11).fill(0), ...Array(6).fill(1), ...Array(4).fill(2)],
    );
    expect(cj.map((r) => r.reduce((a, b) => a + b, 0))).toEqual([11, 6, 4]);
  });
});

describe('noise matrix on synthetic data with a known one', () => {
  it('lands within 0.03 of the true P(given | true)', () => {
    // True classes uniform over 3; probabilities depend on the true class only (class-conditional
    // noise, confident learning's assumption): softmax(3·onehot + N(0, 1)). Given labels drawn from T.
    const T = [
      [0.8, 0.1, 0.1],
      [0.2, 0.7, 0.0],
      [0.0, 0.2, 0.9],
    ];
    const n = 6000;
    const rand = mulberry32(7);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const probs = new Float64Array(n * 3);
    const given = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const y = Math.floor(rand() * 3);
      const z = [0, 1, 2].map((k) => (k === y ? 3 : 0) + gauss());
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e[0] + e[1] + e[2];
      e.forEach((v, k) => (probs[i * 3 + k] = v / s));
      const u = rand();
      given[i] = u < T[0][y] ? 0 : u < T[0][y] + T[1][y] ? 1 : 2;
    }
    const nm = noiseMatrix(confidentJoint({ probs, classCount: 3, labels: given }).joint);
    let worst = 0;
    nm.forEach((r, i) => r.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - T[i][j])))));
    // 0.03: with ~2000 examples per true class a rate's sampling error is ≈ 0.009 (3σ ≈ 0.027);
    // measured 0.007. A transposed matrix or uncalibrated rows miss by up to 0.2.
    expect(worst).toBeLessThan(0.03);
  });
});

describe('matches cleanlab on random problems (fixtures/cleanlab.json, made by scripts/cleanlab-fixture.py)', () => {
  it.each((fixture.cases as CleanlabCase[]).map((c, i) => [i, c] as const))('case %i: thresholds, joints, noise matrix, issues', (_, c) => {
    const K = c.thresholds.length;
    const tt = { probs: c.probs.flat(), classCount: K, labels: c.labels };
    confidentThresholds(tt).forEach((v, k) => expect(v).toBeCloseTo(c.thresholds[k], 12));
    expect(confidentJoint(tt, { calibrate: false }).joint).toEqual(c.joint);
    const cal = confidentJoint(tt).joint;
    expect(cal).toEqual(c.calibrated);
    noiseMatrix(cal).forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(c.noise_matrix[i][j], 12)));
    for (const [key, want] of Object.entries(c.issues)) {
      const [filterBy, rankBy] = key.split('|') as [FilterBy, RankBy];
      expect(findLabelIssues(tt, { filterBy, rankBy }), key).toEqual(want);
    }
    expect(numLabelIssues(tt)).toBe(c.num_label_issues);
  });
});
