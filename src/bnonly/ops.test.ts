import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTrain, conv } from './ops';
import type { ConvLayer } from './resnet';

// Reference: TF.js's own gradients on the cpu backend (which has Conv2DBackpropFilter) for the same maths.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

function maxRelErr(a: tf.Tensor, b: tf.Tensor): number {
  const d = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
  const s = tf.max(tf.abs(b)).dataSync()[0];
  return d / s;
}

const cases: [string, ConvLayer, number][] = [
  ['3x3 stride 1', { name: 'c', k: 3, cin: 3, cout: 4, stride: 1, pad: 1 }, 8],
  ['3x3 stride 2', { name: 'c', k: 3, cin: 3, cout: 4, stride: 2, pad: 1 }, 8],
  ['3x3 stride 2 odd', { name: 'c', k: 3, cin: 2, cout: 3, stride: 2, pad: 1 }, 7],
  ['1x1 stride 2', { name: 'c', k: 1, cin: 3, cout: 5, stride: 2, pad: 0 }, 8],
  ['1x1 stride 2 odd', { name: 'c', k: 1, cin: 3, cout: 5, stride: 2, pad: 0 }, 7],
];

describe('conv with hand-written gradients', () => {
  for (const [label, layer, size] of cases) {
    it(`${label}: value, dx and dW match TF.js's native conv2d`, () => {
      const x = tf.randomNormal([2, size, size, layer.cin], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([layer.k, layer.k, layer.cin, layer.cout], 0, 1, 'float32', 2) as tf.Tensor4D;
      const p = layer.pad;
      const native = (xx: tf.Tensor, ww: tf.Tensor) =>
        tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, layer.stride, [[0, 0], [p, p], [p, p], [0, 0]]);
      const probe = tf.randomNormal(native(x, w).shape, 0, 1, 'float32', 3);
      const ref = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(native(xx, ww), probe)))([x, w]);
      const mine = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
        tf.sum(tf.mul(conv(xx as tf.Tensor4D, ww as tf.Tensor4D, layer, { dx: true, dw: true }), probe)),
      )([x, w]);
      expect(maxRelErr(conv(x, w, layer, { dx: true, dw: false }), native(x, w))).toBeLessThan(1e-6);
      expect(maxRelErr(mine[0], ref[0])).toBeLessThan(1e-5);
      expect(maxRelErr(mine[1], ref[1])).toBeLessThan(1e-5);
    });
  }
});

describe('training-mode BatchNorm', () => {
  for (const relu of [false, true]) it(`matches the textbook formula and its autodiff gradients (relu: ${relu})`, () => {
    const x = tf.add(tf.mul(tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 4), 3), 1.5) as tf.Tensor4D;
    const g = tf.tensor1d([0.3, 1.2, -0.7]);
    const b = tf.tensor1d([0.1, -0.2, 0.5]);
    const probe = tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 5);
    const textbook = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const { mean, variance } = tf.moments(xx, [0, 1, 2]);
      const y = tf.add(tf.mul(tf.div(tf.sub(xx, mean), tf.sqrt(tf.add(variance, 1e-5))), gg), bb);
      return relu ? tf.relu(y) : y;
    };
    const stats: { mean: number[]; variance: number[] }[] = [];
    const mine = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
      batchNormTrain(xx as tf.Tensor4D, gg as tf.Tensor1D, bb as tf.Tensor1D, (s) => {
        stats.push({ mean: [...s.mean.dataSync()], variance: [...s.variance.dataSync()] });
        s.mean.dispose();
        s.variance.dispose();
      }, relu);
    expect(maxRelErr(mine(x, g, b), textbook(x, g, b))).toBeLessThan(1e-5);
    const ref = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(textbook(a, c, d), probe)))([x, g, b]);
    const got = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(mine(a, c, d), probe)))([x, g, b]);
    for (let i = 0; i < 3; i++) expect(maxRelErr(got[i], ref[i])).toBeLessThan(1e-4);
    const m = tf.moments(x, [0, 1, 2]);
    expect(stats[0].mean[1]).toBeCloseTo(m.mean.dataSync()[1], 5);
    expect(stats[0].variance[2]).toBeCloseTo(m.variance.dataSync()[2], 4);
  });
});
