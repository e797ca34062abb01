/**
 * Makes public/samples/fashion-mnist-hardness.json: the Hardness panel's no-download demo.
 * A small network (784 -> 256 ReLU -> BatchNorm -> 64, then a cosine classifier: logit = 100 x cos
 * between the L2-normalised 64-d feature and each class vector, the scale CLIP uses) is trained on
 * the bundled Fashion-MNIST subset (10,000 training images); the file keeps the features of the first
 * N bundled test images and the 10 class vectors, so AVH = angle to the class / sum of angles is
 * exactly what the panel computes for CLIP. Deterministic (seeded). Run: npx tsx scripts/hardness-sample.ts
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_FILES, parseIdx } from '../src/data/idx';

const DIR = 'public/datasets/fashion-mnist';
const OUT = 'public/samples/fashion-mnist-hardness.json';
const N_OUT = Number(process.env.N ?? 500);
const EPOCHS = Number(process.env.EPOCHS ?? 4);
const SCALE = 100;
const DIM = 64;

const load = (f: string) => parseIdx(new Uint8Array(readFileSync(`${DIR}/${f}`)), f);
const trainX = load(FASHION_MNIST_FILES.trainImages);
const trainY = load(FASHION_MNIST_FILES.trainLabels).data;
const testX = load(FASHION_MNIST_FILES.testImages);
const testY = load(FASHION_MNIST_FILES.testLabels).data;
const toX = (d: Uint8Array, n: number) => tf.tensor2d(Float32Array.from(d.subarray(0, n * 784), (v) => v / 255), [n, 784]);

await tf.setBackend('cpu');
tf.util.seedrandom?.('hardness');
const init = (shape: number[], seed: number) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / shape[0]), 'float32', seed));
const w1 = init([784, 256], 1);
const b1 = tf.variable(tf.zeros([256]));
const gamma = tf.variable(tf.ones([256]));
const beta = tf.variable(tf.zeros([256]));
const w2 = init([256, DIM], 2);
const cls = tf.variable(tf.randomNormal([10, DIM], 0, 1, 'float32', 3));
let runMean = tf.zeros([256]);
let runVar = tf.ones([256]);

function features(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
  const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
  let mean: tf.Tensor, variance: tf.Tensor;
  if (training) {
    const m = tf.moments(h, 0);
    mean = m.mean;
    variance = m.variance;
    const newMean = tf.tidy(() => runMean.mul(0.9).add(tf.keep(mean.clone()).mul(0.1)));
    const newVar = tf.tidy(() => runVar.mul(0.9).add(variance.mul(0.1)));
    runMean.dispose();
    runVar.dispose();
    runMean = tf.keep(newMean);
    runVar = tf.keep(newVar);
  } else {
    mean = runMean;
    variance = runVar;
  }
  const bn = tf.batchNorm(h, mean, variance, beta, gamma, 1e-5);
  return tf.matMul(bn, w2) as tf.Tensor2D;
}
const unit = (t: tf.Tensor2D) => tf.div(t, tf.norm(t, 2, 1, true).add(1e-12)) as tf.Tensor2D;
const logits = (z: tf.Tensor2D) => tf.matMul(unit(z), unit(cls), false, true).mul(SCALE) as tf.Tensor2D;

const n = trainX.dims[0];
const opt = tf.train.adam(1e-3);
const batch = 128;
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let lossSum = 0;
  let steps = 0;
  for (let s = 0; s + batch <= n; s += batch) {
    const idx = order.slice(s, s + batch);
    const xb = new Float32Array(batch * 784);
    idx.forEach((r, k) => xb.set(Float32Array.from(trainX.data.subarray(r * 784, (r + 1) * 784), (v) => v / 255), k * 784));
    const x = tf.tensor2d(xb, [batch, 784]);
    const y = tf.oneHot(tf.tensor1d(idx.map((r) => trainY[r]), 'int32'), 10);
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(features(x, true))) as tf.Scalar, true)!;
    lossSum += (await loss.data())[0];
    steps++;
    tf.dispose([x, y, loss]);
  }
  console.error(`epoch ${epoch + 1}: loss ${(lossSum / steps).toFixed(4)}`);
}

const nTest = testX.dims[0];
const xt = toX(testX.data, nTest);
const zt = unit(features(xt, false));
const lt = logits(features(xt, false));
const pred = await lt.argMax(1).data();
const acc = Array.from(pred).filter((p, i) => p === testY[i]).length / nTest;
const xtr = toX(trainX.data, 2000);
const predTr = await logits(features(xtr, false)).argMax(1).data();
const trainAcc = Array.from(predTr).filter((p, i) => p === trainY[i]).length / 2000;
console.error(`test accuracy ${(acc * 100).toFixed(1)}% on ${nTest}; train ${(trainAcc * 100).toFixed(1)}% on the first 2000`);

const feats = (await zt.data()).slice(0, N_OUT * DIM);
const vecs = await unit(cls).data();
const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
mkdirSync('public/samples', { recursive: true });
writeFileSync(
  OUT,
  JSON.stringify(
    {
      about:
        'Fashion-MNIST (MIT, Zalando SE): features of the first bundled test images from a small network trained on the bundled 10,000 training images by scripts/hardness-sample.ts. logit = scale x cosine(feature, class vector).',
      model: `Fashion-MNIST MLP (784-256-BN-64, cosine classifier), ${EPOCHS} epochs`,
      classes: FASHION_MNIST_CLASSES,
      scale: SCALE,
      dim: DIM,
      testAccuracy: acc,
      testCount: nTest,
      count: N_OUT,
      labels: Array.from(testY.subarray(0, N_OUT)),
      features: b64(Float32Array.from(feats)),
      classVectors: b64(Float32Array.from(vecs)),
    },
    null,
    1,
  ),
);
console.error(`wrote ${OUT}`);
