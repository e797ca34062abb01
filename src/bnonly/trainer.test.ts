import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend';
import { subset } from '../data/dataset';
import { gammaStats } from './gamma';
import { MODES } from './modes';
import { loadFashionMnist } from './node-data';
import { nodeWasmDir } from './node-wasm';
import { DEFAULT_CONFIG, Run, initialParams } from './trainer';

// The real shipped Fashion-MNIST subset (public/datasets/fashion-mnist), on the wasm backend the CLI uses.
const data = loadFashionMnist();
beforeAll(async () => {
  await useBackend('wasm', { wasmPaths: nodeWasmDir() });
});

describe('trainable sets', () => {
  it('every mode leaves frozen parameters bit-identical and changes the trainable ones', () => {
    const train = subset(data.train, 256);
    const cfg = { ...DEFAULT_CONFIG, depth: 8, width: 16, steps: 3, batch: 32 };
    const params = initialParams(cfg, train);
    for (const mode of MODES) {
      const before = tf.memory().numTensors;
      const r = new Run(mode, params, cfg, train);
      r.trainStep();
      const live = tf.memory().numTensors;
      for (let s = 1; s < cfg.steps; s++) r.trainStep();
      expect(tf.memory().numTensors, `${mode}: tensors leak per step`).toBe(live);
      expect(r.frozenUnchanged(), mode).toBe(true);
      const now = r.net.snapshot();
      let changed = 0;
      let frozenChanged = 0;
      for (const p of params) {
        const t = r.net.trainable.get(p.name);
        const cur = now.get(p.name)!;
        for (let i = 0; i < cur.length; i++) {
          const trainable = t === true || (t !== undefined && t[i] === 1);
          if (cur[i] !== p.data[i] || Object.is(cur[i], -0) !== Object.is(p.data[i], -0)) {
            if (trainable) changed++;
            else frozenChanged++;
          }
        }
      }
      expect(frozenChanged, mode).toBe(0);
      // Nearly every trainable element moves (a few conv weights can see a zero gradient through dead ReLUs).
      expect(changed / r.trainableParams, mode).toBeGreaterThan(0.9);
      // BN running statistics update in every mode (state, not parameters).
      const rv = r.net.runVar.get('stem.bn')!.dataSync();
      expect(rv.some((v) => v !== 1), mode).toBe(true);
      r.dispose();
      expect(tf.memory().numTensors, `${mode}: tensors left after dispose`).toBe(before);
    }
  }, 120_000);

  it('is deterministic for a seed', () => {
    const train = subset(data.train, 128);
    const cfg = { ...DEFAULT_CONFIG, depth: 8, width: 8, steps: 2, batch: 32, seed: 5 };
    const once = () => {
      const r = new Run('full', initialParams(cfg, train), cfg, train);
      const losses = [r.trainStep().loss, r.trainStep().loss];
      const w = r.net.vars.get('s3.b1.conv2')!.dataSync().slice();
      r.dispose();
      return { losses, w };
    };
    const a = once();
    const b = once();
    expect(b.losses).toEqual(a.losses);
    expect(b.w).toEqual(a.w);
  }, 60_000);
});

describe('a short Fashion-MNIST run (depth 8, width 16)', () => {
  it('BN-only is far above chance (10%) and full training is above BN-only', () => {
    const train = subset(data.train, 4000);
    const test = subset(data.test, 500);
    // A browser-length run: 60 steps of 64, lr 0.4 decayed x0.1 at 50% and 75% (the paper: 160 epochs at 0.1).
    // The decay also lets BN's running statistics settle, which eval-mode accuracy depends on.
    const cfg = { ...DEFAULT_CONFIG, depth: 8, width: 16, steps: 60, batch: 64, lr: 0.4 };
    const params = initialParams(cfg, train);
    const acc: Record<string, number> = {};
    for (const mode of ['bn', 'full'] as const) {
      const r = new Run(mode, params, cfg, train);
      for (let s = 0; s < cfg.steps; s++) r.trainStep();
      acc[mode] = r.evaluate(test);
      const g = gammaStats(r.net.arch, r.net.snapshot());
      expect(g.overall.channels).toBe(336);
      expect(g.layers.map((l) => l.histogram.counts.reduce((s, c) => s + c, 0))).toEqual(r.net.arch.bns.map((b) => b.channels));
      r.dispose();
    }
    // Measured here: bn 0.398, full 0.688 (chance 0.1).
    expect(acc.bn).toBeGreaterThan(0.3);
    expect(acc.full).toBeGreaterThan(acc.bn + 0.1);
  }, 180_000);
});
