import { describe, expect, it } from 'vitest';
import { countTrainable, MODES, trainableSet } from './modes';
import { architecture, countParams, initParams } from './resnet';

const fashion8 = architecture({ depth: 8, width: 16, inChannels: 1, numClasses: 10 });

describe('open_lth cifar_resnet_N_W', () => {
  it('depth 8 width 16 on Fashion-MNIST has exactly 77,754 parameters and the issue\'s trainable counts', () => {
    const params = initParams(fashion8, 0);
    expect(countParams(params)).toBe(77754);
    const counts = Object.fromEntries(MODES.map((m) => [m, countTrainable(trainableSet(m, params, 0), params)]));
    expect(counts).toEqual({ full: 77754, bn: 672, 'bn+output': 1322, output: 650, random2: 672 });
  });

  it('has the layer structure of the paper\'s ResNet-20 (3 stages of 3 blocks, 2 projection shortcuts)', () => {
    const a = architecture({ depth: 20, width: 16, inChannels: 3, numClasses: 10 });
    expect(a.blocks).toHaveLength(9);
    expect(a.blocks.filter((b) => b.shortcut).map((b) => b.conv1.name)).toEqual(['s2.b1.conv1', 's3.b1.conv1']);
    expect(a.blocks.map((b) => b.conv1.stride)).toEqual([1, 1, 1, 2, 1, 1, 2, 1, 1]);
    expect(a.convs).toHaveLength(21);
    // BN channels: 16 (stem) + 6*16 + (6*32 + 32) + (6*64 + 64) = 784 -> 1,568 gamma+beta.
    expect(a.bns.reduce((s, b) => s + 2 * b.channels, 0)).toBe(1568);
    expect(a.fcIn).toBe(64);
    expect(() => architecture({ depth: 21, width: 16, inChannels: 3, numClasses: 10 })).toThrow(/6n\+2/);
  });

  it('initialises like open_lth: kaiming normal convs, gamma ~ U(0,1), beta = 0, and is seeded', () => {
    const a = architecture({ depth: 20, width: 16, inChannels: 3, numClasses: 10 });
    const p = initParams(a, 3);
    const conv = p.find((q) => q.name === 's3.b2.conv2')!; // fan_in 3*3*64 = 576
    const std = Math.sqrt(conv.data.reduce((s, v) => s + v * v, 0) / conv.data.length);
    expect(std).toBeGreaterThan(Math.sqrt(2 / 576) * 0.97);
    expect(std).toBeLessThan(Math.sqrt(2 / 576) * 1.03);
    const gammas = p.filter((q) => q.kind === 'gamma').flatMap((q) => [...q.data]);
    expect(Math.min(...gammas)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...gammas)).toBeLessThan(1);
    expect(gammas.reduce((s, v) => s + v, 0) / gammas.length).toBeCloseTo(0.5, 1);
    expect(p.filter((q) => q.kind === 'beta').every((q) => q.data.every((v) => v === 0))).toBe(true);
    expect(initParams(a, 3)[0].data).toEqual(p[0].data);
    expect(initParams(a, 4)[0].data).not.toEqual(p[0].data);
  });

  it('random2 picks exactly 2 distinct weights per output channel of every conv', () => {
    const params = initParams(fashion8, 0);
    const t = trainableSet('random2', params, 0);
    for (const c of fashion8.convs) {
      const m = t.get(c.name) as Uint8Array;
      for (let o = 0; o < c.cout; o++) {
        let n = 0;
        for (let i = o; i < m.length; i += c.cout) n += m[i];
        expect(n).toBe(2);
      }
    }
    expect(t.has('fc.w')).toBe(false);
  });
});
