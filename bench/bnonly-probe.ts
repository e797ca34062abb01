import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend(process.argv[2] ?? 'wasm'); await tf.ready();
function time(name: string, f: () => tf.Tensor, n = 3) {
  { const r = f(); r.dataSync(); r.dispose(); } const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = f(); r.dataSync(); r.dispose(); }
  const dt = (performance.now() - t0) / n; console.log(name, dt.toFixed(1), 'ms');
  return dt;
}
const N=128, H=32, C=16;
const x = tf.randomNormal([N, H, H, C]) as tf.Tensor4D; const w = tf.randomNormal([3, 3, C, C]) as tf.Tensor4D;
const dy = tf.randomNormal([N, H, H, C]) as tf.Tensor4D;
const pad: [[number,number],[number,number],[number,number],[number,number]] = [[0,0],[1,1],[1,1],[0,0]];
time('conv fwd explicit pad', () => tf.conv2d(x, w, 1, pad));
const wT = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
time('dx via conv', () => tf.conv2d(dy, wT, 1, pad));
time('transpose x [3,1,2,0]', () => tf.transpose(x, [3, 1, 2, 0]));
time('transpose dy [1,2,0,3]', () => tf.transpose(dy, [1, 2, 0, 3]));
const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; const dyF = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
time('dW conv', () => tf.conv2d(xT, dyF, 1, [[0,0],[1,1],[1,1],[0,0]]));
const ref = tf.tidy(() => tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, ww as tf.Tensor4D, 1, pad), dy)))(w));
const mine = tf.transpose(tf.conv2d(xT, dyF, 1, [[0,0],[1,1],[1,1],[0,0]]), [1, 2, 0, 3]);
console.log('dW max err', tf.max(tf.abs(tf.sub(ref, mine))).dataSync()[0], tf.max(tf.abs(ref)).dataSync()[0]);
// stride 2
const dy2 = tf.randomNormal([N, 16, 16, 32]) as tf.Tensor4D; const w2 = tf.randomNormal([3,3,C,32]) as tf.Tensor4D;
time('conv fwd s2', () => tf.conv2d(x, w2, 2, pad));
const dy2F = tf.transpose(dy2, [1, 2, 0, 3]) as tf.Tensor4D;
time('dW conv s2 dilated', () => tf.conv2d(xT, dy2F, 1, [[0,0],[1,0],[1,0],[0,0]], 'NHWC', 2));
const ref2 = tf.tidy(() => tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, ww as tf.Tensor4D, 2, pad), dy2)))(w2));
const mine2 = tf.transpose(tf.conv2d(xT, dy2F, 1, [[0,0],[1,0],[1,0],[0,0]], 'NHWC', 2), [1, 2, 0, 3]);
console.log('dW2 max err', tf.max(tf.abs(tf.sub(ref2, mine2))).dataSync()[0]);
