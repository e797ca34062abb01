/**
 * The BatchNorm-only trainer's GPU self-check: one fixed training step of a tiny ResNet (depth 8, width 4,
 * 8 synthetic 16x16 RGB images, every parameter trainable so that every custom gradient in ops.ts runs: the
 * stride-2 phase dx, the 1x1 projection dx/dW, the dW conv and the fused BatchNorm backward) on the current
 * TF.js backend. The numbers are read back with `await data()`, as the trainer does (see `trainStepAsync`):
 * TF.js's WebGPU `dataSync` goes through a canvas and reads zeros on some adapters (SwiftShader).
 * The worker runs it on WebGPU and on WASM and compares the two with `compareProbes` (src/runtime/gpu-check.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Net } from './model';
import { trainableSet } from './modes';
import { architecture, initParams } from './resnet';
import { Rng } from '../math/rng';
import type { ProbeFigures } from '../runtime/gpu-check';

/** The gradients compared: one of each kind of layer the custom gradients cover. */
export const PROBE_GRADS = ['stem.conv', 's2.b1.conv1', 's3.b1.shortcut.conv', 's3.b1.bn2.gamma', 'stem.bn.beta', 'fc.w'] as const;

const N = 8;
const SIZE = 16;
const CLASSES = 10;

/** One training step's loss and gradients on the current backend. `sync` reads with dataSync (to show the readback fault). */
export async function trainingProbe(opts: { sync?: boolean } = {}): Promise<ProbeFigures> {
  const arch = architecture({ depth: 8, width: 4, inChannels: 3, numClasses: CLASSES });
  const params = initParams(arch, 1);
  const net = new Net(arch, params, trainableSet('full', params, 1));
  const rng = new Rng(2);
  const x = new Float32Array(N * SIZE * SIZE * 3);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = Int32Array.from({ length: N }, (_, i) => i % CLASSES);
  try {
    const { loss, grads } = tf.tidy(() => {
      const xb = tf.tensor4d(x, [N, SIZE, SIZE, 3]);
      const yb = tf.oneHot(tf.tensor1d(y, 'int32'), CLASSES);
      const vars = PROBE_GRADS.map((n) => net.vars.get(n)!);
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(yb, net.forward(xb, true)) as tf.Scalar, vars);
      return { loss: value, grads: vars.map((v) => grads[v.name]) };
    });
    const read = async (t: tf.Tensor) => Array.from((opts.sync ? t.dataSync() : await t.data()) as Float32Array);
    const out: ProbeFigures = { loss: (await read(loss))[0], grads: {} };
    for (let i = 0; i < PROBE_GRADS.length; i++) out.grads[PROBE_GRADS[i]] = await read(grads[i]);
    tf.dispose([loss, ...grads]);
    return out;
  } finally {
    net.dispose();
  }
}
