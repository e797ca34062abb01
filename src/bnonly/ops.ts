import * as tf from '@tensorflow/tfjs';
import type { ConvLayer } from './resnet';

/**
 * Convolution and training-mode BatchNorm with hand-written gradients.
 *
 * Why: TF.js 4.22's `wasm` backend has no `Conv2DBackpropFilter` kernel (full training fails), its
 * `Conv2DBackpropInput` measured ~13x slower than its XNNPACK forward conv, and its Slice/Concat kernels are JS loops
 * (so im2col is slow). Both conv gradients are therefore rewritten as *forward* convolutions, which every backend
 * runs fast (XNNPACK on wasm, shaders on WebGL/WebGPU):
 *   dx = conv(dy, flipped w with in/out swapped)      (stride 1: the "full" correlation)
 *   dx = one conv of dy with all s*s phase sub-kernels, interleaved   (stride s: no zero-dilated dy, see below)
 *   dW = conv(x as [Cin, H, W, N], dy as filter [Ho, Wo, N, Cout], dilation = stride)   (batch becomes channels)
 * A layer whose weights are frozen never computes dW (BN-only training runs no dW conv and no transpose of
 * activations); the input image never gets dx.
 * BatchNorm's channel sums are global average pools and its affine map is a fused 1x1 depthwise conv (+ReLU).
 * Measured alternatives that lost on wasm (ResNet-20 layer shapes, batch 128): dW as one-hot depthwise im2col +
 * matMul (2-6x slower: the multiplier-9 depthwise conv alone costs more than the whole dW conv), dW split into
 * batch chunks for cache reuse (1.5-3x slower), tf.depthToSpace for the phase interleave (~5x slower than a
 * transpose). What is left besides XNNPACK's convs is mostly the transposes of x and dy for dW (~10% of a `full`
 * step on one thread, and single-threaded when XNNPACK has several threads).
 */

/** TF.js does not export its CustomGradientFunc type; this is its shape. */
type CustomGradientFunc = (...args: Array<tf.Tensor | tf.GradSaveFunc>) => { value: tf.Tensor4D; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

export interface ConvGradNeeds {
  dx: boolean;
  dw: boolean;
}

/** Insert (s-1) zeros after every row and column: [N,H,W,C] -> [N,H*s,W*s,C]. Pads and reshapes only. */
function dilate(dy: tf.Tensor4D, s: number): tf.Tensor4D {
  if (s === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const cols = tf.pad(tf.reshape(dy, [n * h * w, 1, c]), [[0, 0], [0, s - 1], [0, 0]]);
  const rows = tf.pad(tf.reshape(cols, [n * h, 1, w * s * c]), [[0, 0], [0, s - 1], [0, 0]]);
  return tf.reshape(rows, [n, h * s, w * s, c]);
}

/**
 * dx of a strided conv by phases (sub-pixel decomposition): input row i = s*a + r only meets the taps
 * t = s*d + r + p of output row a - d, so every phase r is a small stride-1 correlation of dy itself. All s*s phases
 * run as ONE conv of dy with a [T, T, Cout, s*s*Cin] filter (T = 2 for 3x3 stride 2, 1 for 1x1 stride 2), then a
 * reshape + transpose interleaves them. Against the zero-dilated form this skips the (s*s - 1)/(s*s) zero pixels
 * (3x3 stride 2: 16 instead of 36 multiply-adds per input pixel) and the pads that build the dilated tensor.
 * (tf.depthToSpace does the same interleave but measured ~5x slower than this transpose on wasm.)
 * Needs H and W divisible by s, which ResNets on 32x32 and 28x28 inputs always are.
 */
function convInputGradPhases(dy: tf.Tensor4D, w: tf.Tensor4D, layer: ConvLayer, inH: number, inW: number): tf.Tensor4D {
  const { k, stride: s, pad: p, cin, cout } = layer;
  const taps = (r: number) => {
    const ds: number[] = [];
    for (let d = -k; d <= k; d++) if (s * d + r + p >= 0 && s * d + r + p < k) ds.push(d);
    return ds;
  };
  const all = Array.from({ length: s }, (_, r) => taps(r)).flat();
  const dMin = Math.min(...all);
  const dMax = Math.max(...all);
  const T = dMax - dMin + 1;
  // Filter [T, T, Cout, (ra, rb, Cin)] gathered from w's k*k [Cin, Cout] blocks (index k*k = a zero block).
  const idx: number[] = [];
  for (let ja = 0; ja < T; ja++) {
    for (let jb = 0; jb < T; jb++) {
      for (let ra = 0; ra < s; ra++) {
        for (let rb = 0; rb < s; rb++) {
          const ta = s * (dMax - ja) + ra + p;
          const tb = s * (dMax - jb) + rb + p;
          idx.push(ta >= 0 && ta < k && tb >= 0 && tb < k ? ta * k + tb : k * k);
        }
      }
    }
  }
  const blocks = tf.concat([tf.reshape(w, [k * k, cin, cout]), tf.zeros([1, cin, cout])], 0);
  const g = tf.reshape(tf.gather(blocks, tf.tensor1d(idx, 'int32')), [T * T, s * s, cin, cout]);
  const f = tf.reshape(tf.transpose(g, [0, 3, 1, 2]), [T, T, cout, s * s * cin]) as tf.Tensor4D;
  const [n, ho, wo] = dy.shape;
  const a = inH / s;
  const b = inW / s;
  const out = tf.conv2d(dy, f, 1, [[0, 0], [dMax, a - ho - dMin], [dMax, b - wo - dMin], [0, 0]]); // [N, a, b, (ra, rb, Cin)]
  const rows = tf.transpose(tf.reshape(out, [n * a, b, s, s * cin]), [0, 2, 1, 3]); // [N*a, ra, b, (rb, Cin)]
  return tf.reshape(rows, [n, inH, inW, cin]);
}

export function convInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, layer: ConvLayer, inH: number, inW: number): tf.Tensor4D {
  const { k, stride: s, pad: p } = layer;
  if (s > 1 && inH % s === 0 && inW % s === 0) {
    // 1x1 projection: only phase (0, 0) is non-zero, so multiply at the small size and spread the result out.
    if (k === 1 && p === 0) return dilate(tf.conv2d(dy, tf.transpose(w, [0, 1, 3, 2]) as tf.Tensor4D, 1, 'valid'), s);
    return convInputGradPhases(dy, w, layer, inH, inW);
  }
  const wT = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  const top = k - 1 - p;
  let d = dilate(dy, s);
  const bh = inH + k - 1 - d.shape[1] - top;
  const bw = inW + k - 1 - d.shape[2] - top;
  if (bh < 0 || bw < 0) {
    const [n, h, ww, c] = d.shape;
    d = tf.slice(d, [0, 0, 0, 0], [n, h + Math.min(bh, 0), ww + Math.min(bw, 0), c]);
  }
  const pad: Pad4 = [[0, 0], [top, Math.max(bh, 0)], [top, Math.max(bw, 0)], [0, 0]];
  return tf.conv2d(d, wT, 1, pad);
}

/** dW for square inputs (CIFAR 32x32, Fashion-MNIST 28x28): the same padding applies to rows and columns. */
export function convFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, layer: ConvLayer): tf.Tensor4D {
  const { k, stride: s, pad: p } = layer;
  if (k === 1 && p === 0 && s > 1) {
    // 1x1 projection: only every s-th pixel is read; subsample first (1/s^2 of the transpose below). The subsample is
    // a strided 1x1 conv with the identity (exact; tf.stridedSlice is a slow per-element loop on wasm).
    const c = x.shape[3];
    const xs = tf.conv2d(x, tf.reshape(tf.eye(c), [1, 1, c, c]) as tf.Tensor4D, s, 'valid');
    return convFilterGrad(xs, dy, { ...layer, stride: 1 });
  }
  const [, ho] = dy.shape;
  const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, H, W, N]
  const dyF = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [Ho, Wo, N, Cout]
  // A negative bottom padding (1x1 stride 2: the last row is never read) would need a crop of the big xT
  // (a JS loop on wasm); pad 0 instead and crop the small [Cin, k', k', Cout] result.
  const bottom = k + (ho - 1) * s - x.shape[1] - p;
  const pad: Pad4 = [[0, 0], [p, Math.max(bottom, 0)], [p, Math.max(bottom, 0)], [0, 0]];
  let out = tf.conv2d(xT, dyF, 1, pad, 'NHWC', s) as tf.Tensor4D; // [Cin, k, k, Cout]
  if (bottom < 0) out = tf.slice(out, [0, 0, 0, 0], [out.shape[0], k, k, out.shape[3]]);
  return tf.transpose(out, [1, 2, 0, 3]) as tf.Tensor4D;
}

function forwardConv(x: tf.Tensor4D, w: tf.Tensor4D, layer: ConvLayer): tf.Tensor4D {
  const p = layer.pad;
  return tf.conv2d(x, w, layer.stride, [[0, 0], [p, p], [p, p], [0, 0]]);
}

/** conv2d (symmetric zero padding as in PyTorch) whose backward pass computes only what `needs` asks for. */
export function conv(x: tf.Tensor4D, w: tf.Tensor4D, layer: ConvLayer, needs: ConvGradNeeds): tf.Tensor4D {
  const [, inH, inW] = x.shape;
  if (needs.dw) {
    const f = tf.customGrad(((xi: tf.Tensor, wi: tf.Tensor, save: tf.GradSaveFunc) => {
      save([xi, wi]);
      return {
        value: forwardConv(xi as tf.Tensor4D, wi as tf.Tensor4D, layer),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, ws] = saved as tf.Tensor4D[];
          const dx = needs.dx ? convInputGrad(dy as tf.Tensor4D, ws, layer, inH, inW) : tf.zerosLike(xs);
          return [dx, convFilterGrad(xs, dy as tf.Tensor4D, layer)];
        },
      };
    }) as unknown as CustomGradientFunc);
    return f(x, w) as tf.Tensor4D;
  }
  // Frozen weights: w is captured, not an input, so the tape never asks for dW.
  const f = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([w]);
    return {
      value: forwardConv(xi as tf.Tensor4D, w, layer),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        needs.dx ? convInputGrad(dy as tf.Tensor4D, saved[0] as tf.Tensor4D, layer, inH, inW) : tf.zerosLike(xi),
    };
  }) as unknown as CustomGradientFunc);
  return f(x) as tf.Tensor4D;
}

export const BN_EPS = 1e-5;

export interface BatchStats {
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  count: number;
}

/** Per-channel sums over N, H, W of an NHWC tensor: a global average pool (one fast NHWC pass everywhere;
 * reductions over non-inner axes make the wasm backend transpose, and a matMul with a row of ones makes XNNPACK
 * repack the whole tensor: ~40 ms against ~1 ms for ResNet-20's first stage). */
function channelSums(x: tf.Tensor4D): tf.Tensor1D {
  const [n, h, w, c] = x.shape;
  const pooled = tf.reshape(tf.avgPool(x, [h, w], 1, 'valid'), [n, c]);
  return tf.mul(tf.sum(pooled, 0), h * w) as tf.Tensor1D;
}

/** a * x + b per channel, optionally followed by ReLU, as one fused 1x1 depthwise conv (a single pass). */
function affine(x: tf.Tensor4D, a: tf.Tensor1D, b: tf.Tensor1D | undefined, relu: boolean): tf.Tensor4D {
  const c = x.shape[3];
  return tf.fused.depthwiseConv2d({
    x,
    filter: tf.reshape(a, [1, 1, c, 1]) as tf.Tensor4D,
    strides: 1,
    pad: 'valid',
    bias: b,
    activation: relu ? 'relu' : 'linear',
  });
}

/**
 * Training-mode BatchNorm over N,H,W (biased variance for normalising, as PyTorch), optionally fused with the
 * ReLU that follows it. The batch statistics go to `onStats` (kept tensors; the caller disposes them) for the
 * running averages. Backward, with xhat = (x - mean) * rstd, a = gamma * rstd, M = N*H*W:
 *   dbeta = sum dy, dgamma = sum dy*xhat = rstd * (sum dy*x - mean * sum dy)
 *   dx = a * dy + c - k * x,  k = a * rstd * dgamma / M,  c = k * mean - a * dbeta / M
 */
export function batchNormTrain(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  onStats: (s: BatchStats) => void,
  relu = false,
): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const m = n * h * w;
  const f = tf.customGrad(((xi: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const mean = tf.div(channelSums(xi), m) as tf.Tensor1D;
    const variance = tf.div(channelSums(tf.squaredDifference(xi, mean) as tf.Tensor4D), m) as tf.Tensor1D;
    onStats({ mean: tf.keep(mean.clone()), variance: tf.keep(variance.clone()), count: m });
    const rstd = tf.rsqrt(tf.add(variance, BN_EPS)) as tf.Tensor1D;
    const a = tf.mul(g, rstd) as tf.Tensor1D;
    const y = affine(xi, a, tf.sub(b, tf.mul(mean, a)) as tf.Tensor1D, relu);
    save([xi, mean, rstd, a, y]);
    return {
      value: y,
      gradFunc: (dyIn: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, rs, as, ys] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D];
        const dy = (relu ? tf.mul(dyIn, tf.step(ys)) : dyIn) as tf.Tensor4D;
        const sdy = channelSums(dy);
        const sdyx = channelSums(tf.mul(dy, xs) as tf.Tensor4D);
        const dgamma = tf.mul(rs, tf.sub(sdyx, tf.mul(mu, sdy))) as tf.Tensor1D;
        const k = tf.mul(tf.mul(as, rs), tf.div(dgamma, m)) as tf.Tensor1D;
        const cst = tf.sub(tf.mul(k, mu), tf.mul(as, tf.div(sdy, m))) as tf.Tensor1D;
        const dx = tf.add(affine(dy, as, cst, false), affine(xs, tf.neg(k) as tf.Tensor1D, undefined, false));
        return [dx, dgamma, sdy];
      },
    };
  }) as unknown as CustomGradientFunc);
  return f(x, gamma, beta) as tf.Tensor4D;
}

/** Eval-mode BatchNorm with running statistics. */
export function batchNormEval(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, mean: tf.Tensor1D, variance: tf.Tensor1D): tf.Tensor4D {
  return tf.batchNorm(x, mean, variance, beta, gamma, BN_EPS);
}
