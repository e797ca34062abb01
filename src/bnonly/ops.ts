import * as tf from '@tensorflow/tfjs';
import type { ConvLayer } from './resnet';

/**
 * Convolution and training-mode BatchNorm with hand-written gradients.
 *
 * Why: TF.js 4.22's `wasm` backend has no `Conv2DBackpropFilter` kernel (full training fails), its
 * `Conv2DBackpropInput` measured ~13x slower than its XNNPACK forward conv, and its Slice/Concat kernels are JS loops
 * (so im2col is slow). Both conv gradients are therefore rewritten as *forward* convolutions, which every backend
 * runs fast (XNNPACK on wasm, shaders on WebGL/WebGPU):
 *   dx = conv(zero-dilated dy, flipped w with in/out swapped)            (the "full" correlation)
 *   dW = conv(x as [Cin, H, W, N], dy as filter [Ho, Wo, N, Cout], dilation = stride)   (batch becomes channels)
 * A layer whose weights are frozen never computes dW; the input image never gets dx.
 * BatchNorm's channel sums are global average pools and its affine map is a fused 1x1 depthwise conv (+ReLU).
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

/** A negative bottom/right padding becomes a crop (conv2d only takes non-negative padding). */
function padOrCrop(x: tf.Tensor4D, bottom: number): { x: tf.Tensor4D; bottom: number } {
  if (bottom >= 0) return { x, bottom };
  const [n, h, w, c] = x.shape;
  return { x: tf.slice(x, [0, 0, 0, 0], [n, h + bottom, w + bottom, c]), bottom: 0 };
}

export function convInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, layer: ConvLayer, inH: number, inW: number): tf.Tensor4D {
  const { k, stride: s, pad: p } = layer;
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
  const [, ho] = dy.shape;
  const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, H, W, N]
  const dyF = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [Ho, Wo, N, Cout]
  const bottom = k + (ho - 1) * s - x.shape[1] - p;
  const fitted = padOrCrop(xT, bottom);
  const pad: Pad4 = [[0, 0], [p, fitted.bottom], [p, fitted.bottom], [0, 0]];
  const out = tf.conv2d(fitted.x, dyF, 1, pad, 'NHWC', s); // [Cin, k, k, Cout]
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
