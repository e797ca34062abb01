import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend';
import { nodeWasmDir } from './node-wasm';
import { conv } from './ops';
import type { ConvLayer } from './resnet';

// The wasm backend as the lab and the CLI set it up (useBackend: phase-decomposed strided dx, by-reference
// Identity), against TF.js's native gradients on the cpu backend for the same inputs.
afterAll(async () => {
  await tf.setBackend('cpu');
});

const cases: [string, ConvLayer, number][] = [
  ['3x3 stride 2', { name: 'c', k: 3, cin: 4, cout: 6, stride: 2, pad: 1 }, 8],
  ['1x1 stride 2', { name: 'c', k: 1, cin: 4, cout: 6, stride: 2, pad: 0 }, 8],
  ['3x3 stride 1', { name: 'c', k: 3, cin: 4, cout: 4, stride: 1, pad: 1 }, 6],
];

function grads(layer: ConvLayer, size: number, mine: boolean): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, size, size, layer.cin], 0, 1, 'float32', 11);
    const w = tf.randomNormal([layer.k, layer.k, layer.cin, layer.cout], 0, 1, 'float32', 12);
    const p = layer.pad;
    const f = (xx: tf.Tensor, ww: tf.Tensor) =>
      mine
        ? conv(xx as tf.Tensor4D, ww as tf.Tensor4D, layer, { dx: true, dw: true })
        : tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, layer.stride, [[0, 0], [p, p], [p, p], [0, 0]]);
    const probe = tf.randomNormal(f(x, w).shape, 0, 1, 'float32', 13);
    return tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(f(xx, ww), probe)))([x, w]).map((g) => g.dataSync() as Float32Array);
  });
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

describe('conv gradients on wasm', () => {
  for (const [label, layer, size] of cases) {
    it(`${label}: dx and dW match TF.js's native gradients on cpu`, async () => {
      await tf.setBackend('cpu');
      const ref = grads(layer, size, false);
      await useBackend('wasm', { wasmPaths: nodeWasmDir() });
      const got = grads(layer, size, true);
      expect(got[0].length).toBe(ref[0].length);
      expect(maxRelErr(got[0], ref[0])).toBeLessThan(1e-5);
      expect(maxRelErr(got[1], ref[1])).toBeLessThan(1e-5);
    });
  }
});

describe('Identity on wasm shares the buffer', () => {
  it('a clone keeps its values when the source variable is reassigned or disposed', async () => {
    await useBackend('wasm', { wasmPaths: nodeWasmDir() });
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const c = v.clone();
    v.assign(tf.tensor1d([7, 8, 9]));
    expect([...c.dataSync()]).toEqual([1, 2, 3]);
    const c2 = v.clone();
    v.dispose();
    expect([...c2.dataSync()]).toEqual([7, 8, 9]);
    c.dispose();
    c2.dispose();
  });
});
