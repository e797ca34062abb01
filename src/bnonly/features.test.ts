import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend';
import { subset } from '../data/dataset';
import { loadFashionMnist } from './node-data';
import { nodeWasmDir } from './node-wasm';
import { poolSize } from './curriculum';
import { DEFAULT_CONFIG, Run, initialParams } from './trainer';

const data = loadFashionMnist();
beforeAll(async () => {
  await useBackend('wasm', { wasmPaths: nodeWasmDir() });
});

describe('penultimate features', () => {
  it('features @ W^T + b equal the logits the network gives (1e-5), in image order', () => {
    const train = subset(data.train, 256);
    const test = subset(data.test, 40);
    const cfg = { ...DEFAULT_CONFIG, depth: 8, width: 8, steps: 3, batch: 32 };
    const r = new Run('bn+output', initialParams(cfg, train), cfg, train);
    for (let s = 0; s < cfg.steps; s++) r.trainStep();
    const e = r.embed(test, undefined, 16);
    expect([e.n, e.dim, e.classCount]).toEqual([40, 32, 10]);
    expect(Array.from(e.labels)).toEqual(Array.from(test.labels.subarray(0, 40)));
    // the network's own logits, one forward pass over all 40 images in eval mode
    const direct = tf.tidy(() => {
      const x = new Float32Array(40 * 784);
      for (let i = 0; i < 40 * 784; i++) x[i] = test.images[i] / (255 * 0.353) - 0.286 / 0.353;
      return r.net.forward(tf.tensor4d(x, [40, 28, 28, 1]), false).dataSync() as Float32Array;
    });
    let maxErr = 0;
    let maxDirect = 0;
    for (let i = 0; i < e.n; i++) {
      for (let k = 0; k < e.classCount; k++) {
        let s = e.bias[k];
        for (let j = 0; j < e.dim; j++) s += e.features[i * e.dim + j] * e.classVectors[k * e.dim + j];
        maxErr = Math.max(maxErr, Math.abs(s - e.logits[i * e.classCount + k]));
        maxDirect = Math.max(maxDirect, Math.abs(s - direct[i * e.classCount + k]));
      }
    }
    console.info(`features: max |z W^T + b - logits| ${maxErr}, vs a direct forward ${maxDirect}`);
    expect(maxErr).toBeLessThan(1e-5);
    expect(maxDirect).toBeLessThan(1e-5);
    // features are after a ReLU and a mean: non-negative, and not all zero
    expect(Math.min(...e.features)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...e.features)).toBeGreaterThan(0);
    // a subset of indices gives the same rows
    const sub = r.embed(test, [5, 17]);
    expect(Array.from(sub.features.subarray(0, e.dim))).toEqual(Array.from(e.features.subarray(5 * e.dim, 6 * e.dim)));
    r.dispose();
  }, 60_000);
});

describe('curriculum training', () => {
  it('a Run in curriculum order trains only on the easy pool early, and is deterministic', () => {
    const train = subset(data.train, 200);
    const order = Int32Array.from({ length: 200 }, (_, i) => (i * 7) % 200); // gcd(7, 200) = 1: a permutation
    const cfg = { ...DEFAULT_CONFIG, depth: 8, width: 4, steps: 10, batch: 16, order: 'curriculum' as const, pacing: { start: 0.2, full: 0.5 } };
    const params = initialParams(cfg, train);
    const once = () => {
      const r = new Run('bn', params, cfg, train, order);
      for (let t = 0; t < cfg.steps; t++) r.trainStep();
      const loss = r.trainStep().loss;
      r.dispose();
      return loss;
    };
    // the stream a Run draws: at step t only the easiest poolSize(t) images of `order`
    const r = new Run('bn', params, cfg, train, order);
    for (let t = 0; t < cfg.steps; t++) {
      r.step = t;
      const pool = new Set(order.subarray(0, poolSize(200, t, 10, cfg.pacing)));
      expect(r.poolSize()).toBe(pool.size);
      for (const i of r.nextIndices()) expect(pool.has(i), `step ${t}`).toBe(true);
    }
    expect(poolSize(200, 0, 10, cfg.pacing)).toBe(40);
    r.dispose();
    expect(once()).toBe(once());
    expect(() => new Run('bn', params, cfg, train)).toThrow(/no easy-to-hard order/);
    expect(() => new Run('bn', params, cfg, train, order.subarray(0, 10))).toThrow(/10 indices for 200 training images/);
  }, 60_000);
});
