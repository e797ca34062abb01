import { describe, expect, it } from 'vitest';
import { accuracy, exportHead, importHead, probeObjective, probePredict, probeProbabilities, trainProbe, type LinearHead, type ProbeData } from './linear-probe';
import { chooseL2, fewShotIndices, shotsCurve, stratifiedSplit, subset } from './probe-splits';
import { gaussianSource, mulberry32 } from './rng';

/** Classes around random unit means in `dim` dimensions, rows L2-normalised like CLIP embeddings. */
function clusters(n: number, dim: number, classes: number, spread: number, seed: number): ProbeData {
  const normal = gaussianSource(mulberry32(seed));
  const means = Array.from({ length: classes }, () => Array.from({ length: dim }, () => normal()));
  const x = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = c;
    const v = means[c].map((m) => m + spread * normal() + 1.5); // a shared offset, as CLIP features have
    const len = Math.hypot(...v);
    v.forEach((a, j) => (x[i * dim + j] = a / len));
  }
  return { x, dim, labels };
}

/** The objective written out independently of probe.ts: float64, log-sum-exp per row. */
function referenceObjective(data: ProbeData, head: LinearHead, l2: number): number {
  const { dim: d } = data;
  const n = data.labels.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: head.classCount }, (_, c) => {
      let s = head.bias[c];
      for (let j = 0; j < d; j++) s += head.weights[c * d + j] * data.x[i * d + j];
      return s;
    });
    const m = Math.max(...z);
    total += m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) - z[data.labels[i]];
  }
  let w2 = 0;
  for (const w of head.weights) w2 += w * w;
  return total / n + (l2 / 2) * w2;
}

describe('linear probe', () => {
  it('recovers a linearly separable problem', () => {
    const data = clusters(400, 32, 4, 0.3, 1);
    const { train, heldOut } = stratifiedSplit(data.labels, 0.25, 3);
    const r = trainProbe(subset(data, train), { l2: 1e-4 });
    expect(r.converged).toBe(true);
    expect(accuracy(probePredict(r.head, subset(data, train).x), subset(data, train).labels)).toBe(1);
    expect(accuracy(probePredict(r.head, subset(data, heldOut).x), subset(data, heldOut).labels)).toBe(1);
  });

  it('reaches the minimum of an independently written objective (gradient ~ 0)', () => {
    const data = clusters(120, 6, 3, 1.5, 2); // overlapping classes: a finite, interior optimum
    const l2 = 1e-2;
    const r = trainProbe(data, { l2 });
    const f0 = referenceObjective(data, r.head, l2);
    expect(Math.abs(r.loss - f0)).toBeLessThan(1e-6);
    // central differences of the reference objective over every parameter
    const h = 1e-5;
    let maxGrad = 0;
    const params = [r.head.weights, r.head.bias];
    for (const arr of params) {
      for (let k = 0; k < arr.length; k++) {
        const keep = arr[k];
        arr[k] = keep + h;
        const up = referenceObjective(data, r.head, l2);
        arr[k] = keep - h;
        const down = referenceObjective(data, r.head, l2);
        arr[k] = keep;
        maxGrad = Math.max(maxGrad, Math.abs(up - down) / (2 * h));
      }
    }
    expect(maxGrad).toBeLessThan(2e-5);
    // and no random nearby point is lower
    const rand = mulberry32(9);
    for (let t = 0; t < 20; t++) {
      const moved: LinearHead = { ...r.head, weights: r.head.weights.map((w) => w + (rand() - 0.5) * 1e-2), bias: r.head.bias.map((b) => b + (rand() - 0.5) * 1e-2) };
      expect(referenceObjective(data, moved, l2)).toBeGreaterThan(f0);
    }
  });

  it('matches a brute-force grid minimum on a tiny 2-class, 1-D problem', () => {
    // with 2 classes only d = w1 - w0 and beta = b1 - b0 matter; the penalty is l2 d² / 4 at w0 = -w1
    const xs = [-2, -1.2, -0.3, 0.1, 0.4, 1, 1.7, -0.6];
    const ys = [0, 0, 1, 0, 1, 1, 1, 0];
    const l2 = 0.1;
    const f = (d: number, beta: number) => xs.reduce((a, x, i) => a + Math.log1p(Math.exp(-(ys[i] ? 1 : -1) * (d * x + beta))), 0) / xs.length + (l2 * d * d) / 4;
    let best = { d: 0, beta: 0, f: Infinity };
    let [dLo, dHi, bLo, bHi] = [-10, 10, -10, 10];
    for (let level = 0; level < 8; level++) {
      for (let a = 0; a <= 40; a++) {
        for (let b = 0; b <= 40; b++) {
          const d = dLo + ((dHi - dLo) * a) / 40;
          const beta = bLo + ((bHi - bLo) * b) / 40;
          const v = f(d, beta);
          if (v < best.f) best = { d, beta, f: v };
        }
      }
      const dw = (dHi - dLo) / 10;
      const bw = (bHi - bLo) / 10;
      [dLo, dHi, bLo, bHi] = [best.d - dw, best.d + dw, best.beta - bw, best.beta + bw];
    }
    const r = trainProbe({ x: Float32Array.from(xs), dim: 1, labels: ys }, { l2 });
    expect(r.loss).toBeCloseTo(best.f, 9);
    expect(r.head.weights[1] - r.head.weights[0]).toBeCloseTo(best.d, 4);
    expect(r.head.bias[1] - r.head.bias[0]).toBeCloseTo(best.beta, 4);
    expect(r.head.weights[0]).toBeCloseTo(-r.head.weights[1], 6);
  });

  it('gives the same head with the plain-JS products and with any feature scale', () => {
    const data = clusters(200, 20, 3, 1, 4);
    const a = trainProbe(data, { l2: 1e-3 });
    const b = trainProbe(data, { l2: 1e-3, simd: false });
    const c = trainProbe(data, { l2: 1e-3, featureScale: 1 });
    expect(b.loss).toBeCloseTo(a.loss, 6);
    expect(c.loss).toBeCloseTo(a.loss, 6);
    const pa = probeProbabilities(a.head, data.x);
    const pb = probeProbabilities(b.head, data.x);
    let maxDiff = 0;
    for (let k = 0; k < pa.length; k++) maxDiff = Math.max(maxDiff, Math.abs(pa[k] - pb[k]));
    expect(maxDiff).toBeLessThan(1e-3);
    // the exported JS objective agrees with the reference
    const params = new Float64Array(a.head.weights.length + 3);
    params.set(a.head.weights);
    params.set(a.head.bias, a.head.weights.length);
    expect(probeObjective(data, 3, 1e-3, params, new Float64Array(params.length))).toBeCloseTo(referenceObjective(data, a.head, 1e-3), 12);
  });

  it('trains 3,000 × 512 × 10 classes fast', () => {
    const data = clusters(3000, 512, 10, 3, 5);
    const t = performance.now();
    const r = trainProbe(data, { l2: 1e-3 });
    const ms = performance.now() - t;
    console.info(`probe 3000x512, 10 classes: ${ms.toFixed(0)} ms, ${r.iterations} L-BFGS iterations, ${r.evaluations} evaluations, train accuracy ${accuracy(probePredict(r.head, data.x), data.labels).toFixed(3)}`);
    expect(r.converged).toBe(true);
    expect(ms).toBeLessThan(5000); // generous: shared CI cores; measured ~150-400 ms here
  });

  it('exports and imports a head', () => {
    const data = clusters(60, 8, 3, 0.5, 6);
    const { head } = trainProbe(data);
    const json = JSON.parse(JSON.stringify(exportHead(head, ['cat', 'dog', 'car'], { model: 'tiny' })));
    const back = importHead(json);
    expect(back.classes).toEqual(['cat', 'dog', 'car']);
    expect(Array.from(probePredict(back.head, data.x))).toEqual(Array.from(probePredict(head, data.x)));
    expect(() => importHead({ ...json, bias: [1, 2] }, 'head.json')).toThrow('head.json: "bias" must have 3 finite numbers');
    expect(() => importHead({ ...json, format: 'x' })).toThrow(/"format" must be/);
    expect(() => importHead({ ...json, weights: [[1], [2], [3]] })).toThrow(/"weights"\[0\] must have 8 numbers/);
  });

  it('rejects bad training data with a reason', () => {
    expect(() => trainProbe({ x: new Float32Array(4), dim: 2, labels: [0, 5] }, { classCount: 2 })).toThrow(/label 5 of example 1/);
    expect(() => trainProbe({ x: new Float32Array(3), dim: 2, labels: [0, 1] })).toThrow(/hold 3 numbers, expected 2 × 2/);
  });
});

describe('splits and few-shot subsets', () => {
  const labels = Array.from({ length: 50 }, (_, i) => (i < 30 ? 0 : i < 45 ? 1 : 2));

  it('splits per class, keeps a training example per class, and is seeded', () => {
    const s = stratifiedSplit(labels, 0.2, 1);
    expect(s.heldOut.filter((i) => labels[i] === 0)).toHaveLength(6);
    expect(s.heldOut.filter((i) => labels[i] === 1)).toHaveLength(3);
    expect(s.heldOut.filter((i) => labels[i] === 2)).toHaveLength(1);
    expect([...s.train, ...s.heldOut].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    expect(stratifiedSplit(labels, 0.2, 1)).toEqual(s);
    expect(stratifiedSplit(labels, 0.2, 2)).not.toEqual(s);
    expect(stratifiedSplit([0, 1, 1], 0.5, 0).train).toContain(0);
  });

  it('draws nested k-shot subsets', () => {
    const pool = labels.map((_, i) => i);
    const sets = [1, 2, 4, 8, 16].map((k) => fewShotIndices(labels, pool, k, 7));
    expect(sets.map((s) => s.length)).toEqual([3, 6, 12, 21, 36]); // class 2 has only 5
    for (let k = 1; k < sets.length; k++) for (const i of sets[k - 1]) expect(sets[k]).toContain(i);
    expect(fewShotIndices(labels, pool, 'all', 7)).toEqual(pool);
    expect(() => fewShotIndices(labels, pool, 0, 7)).toThrow(/shots must be/);
  });

  it('charts accuracy against shots and picks l2 on held-out data', () => {
    const data = clusters(300, 16, 3, 1.2, 8);
    const { train, heldOut } = stratifiedSplit(data.labels, 0.3, 0);
    const curve = shotsCurve(data, train, heldOut, { seed: 1 });
    expect(curve.map((p) => p.shots)).toEqual([1, 2, 4, 8, 16, 'all']);
    expect(curve[5].trainCount).toBe(train.length);
    expect(curve[5].accuracy).toBeGreaterThanOrEqual(curve[0].accuracy);
    const pick = chooseL2(subset(data, train), subset(data, heldOut));
    expect(pick.curve).toHaveLength(9);
    expect(pick.accuracy).toBe(Math.max(...pick.curve.map((p) => p.accuracy)));
  });
});
