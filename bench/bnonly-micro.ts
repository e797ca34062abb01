/** Micro-benchmarks of the wasm kernels the trainer relies on (diagnostics). tsx bench/bnonly-micro.ts */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../src/bnonly/backend';
import { nodeWasmDir } from '../src/bnonly/node-wasm';
import { convFilterGrad, convInputGrad } from '../src/bnonly/ops';
await useBackend('wasm', { wasmPaths: nodeWasmDir() });
const x = tf.randomNormal([128, 32, 32, 16]) as tf.Tensor4D;
const w = tf.randomNormal([3, 3, 16, 16]) as tf.Tensor4D;
const layer = { name: 'c', k: 3, cin: 16, cout: 16, stride: 1, pad: 1 };
const cases: [string, () => tf.Tensor][] = [
  ['conv same', () => tf.conv2d(x, w, 1, 'same')],
  ['conv explicit', () => tf.conv2d(x, w, 1, [[0, 0], [1, 1], [1, 1], [0, 0]])],
  ['dx (conv)', () => convInputGrad(x, w, layer, 32, 32)],
  ['dW (conv)', () => convFilterGrad(x, x, layer)],
  ['transpose', () => tf.transpose(x, [3, 1, 2, 0])],
];
const ms = new Map<string, number>();
for (let rep = 0; rep < 9; rep++) {
  for (const [name, f] of cases) {
    const t0 = performance.now();
    const r = tf.tidy(f);
    r.dataSync();
    r.dispose();
    if (rep) ms.set(name, (ms.get(name) ?? 0) + performance.now() - t0);
  }
}
for (const [name, v] of ms) console.log(name.padEnd(16), (v / 8).toFixed(1), "ms");
