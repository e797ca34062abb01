import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../src/bnonly/backend';
import { nodeWasmDir } from '../src/bnonly/node-wasm';
await useBackend('wasm', { wasmPaths: nodeWasmDir() });
function time(name: string, f: (x: tf.Tensor4D) => tf.Tensor, n = 5) {
  let ms = 0;
  for (let i = 0; i <= n; i++) {
    const x = tf.randomNormal([128, 32, 32, 16]) as tf.Tensor4D;
    const t0 = performance.now(); const r = f(x); r.dataSync(); if (i) ms += performance.now() - t0; r.dispose(); x.dispose();
  }
  console.log(name.padEnd(30), (ms / n).toFixed(2), 'ms');
}
const M = 131072;
const ones = tf.ones([1, M]);
const g = tf.randomUniform([16]) as tf.Tensor1D, b = tf.randomUniform([16]) as tf.Tensor1D;
time('matmul ones', (x) => tf.matMul(ones, tf.reshape(x, [M, 16])));
time('avgPool global + sum', (x) => tf.sum(tf.reshape(tf.avgPool(x, [32, 32], 1, 'valid'), [128, 16]), 0));
time('sum axis 0', (x) => tf.sum(tf.reshape(x, [M, 16]), 0));
time('batchNorm', (x) => tf.batchNorm(x, b, g, b, g));
time('mul bcast', (x) => tf.mul(x, g));
time('mul same', (x) => tf.mul(x, x));
time('relu', (x) => tf.relu(x));
time('squaredDiff bcast', (x) => tf.squaredDifference(x, g));
time('step', (x) => tf.step(x));
time('clone', (x) => tf.clone(x));
const w = tf.randomNormal([3, 3, 16, 16]) as tf.Tensor4D;
time('conv', (x) => tf.conv2d(x, w, 1, 'same'));
time('fused conv relu', (x) => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', activation: 'relu' }));
const f = tf.reshape(g, [1, 1, 16, 1]) as tf.Tensor4D;
time('dw 1x1 + bias + relu', (x) => tf.fused.depthwiseConv2d({ x, filter: f, strides: 1, pad: 'valid', bias: b, activation: 'relu' }));
time('dw 1x1 + bias', (x) => tf.fused.depthwiseConv2d({ x, filter: f, strides: 1, pad: 'valid', bias: b }));
time('add bcast', (x) => tf.add(x, g));
time('add same', (x) => tf.add(x, x));
time('sub same', (x) => tf.sub(x, x));
time('greater 0', (x) => tf.greater(x, 0));
time('where', (x) => tf.where(tf.greater(x, 0), x, tf.zerosLike(x)));
