import * as tf from '@tensorflow/tfjs';
import { type BatchStats, batchNormEval, batchNormTrain, conv } from './ops';
import type { Architecture, ConvLayer, ParamInit } from './resnet';
import type { Trainable } from './modes';

/** BN running statistics as PyTorch keeps them: momentum 0.1, unbiased batch variance. */
const BN_MOMENTUM = 0.1;

/** A ResNet's parameters as tf.Variables plus BN running statistics; forward in train or eval mode. */
export class Net {
  readonly vars = new Map<string, tf.Variable>();
  readonly runMean = new Map<string, tf.Variable>();
  readonly runVar = new Map<string, tf.Variable>();
  private pending = new Map<string, BatchStats>();

  constructor(
    readonly arch: Architecture,
    params: ParamInit[],
    readonly trainable: Trainable,
  ) {
    for (const p of params) {
      this.vars.set(p.name, variableFrom(tf.tensor(p.data, p.shape), trainable.has(p.name), `${p.name}#${uid()}`));
    }
    for (const bn of arch.bns) {
      this.runMean.set(bn.name, variableFrom(tf.zeros([bn.channels]), false));
      this.runVar.set(bn.name, variableFrom(tf.ones([bn.channels]), false));
    }
  }

  private v(name: string): tf.Tensor {
    return this.vars.get(name)!;
  }

  private conv(x: tf.Tensor4D, layer: ConvLayer, isStem: boolean): tf.Tensor4D {
    const t = this.trainable.get(layer.name);
    return conv(x, this.v(layer.name) as tf.Tensor4D, layer, { dx: !isStem, dw: t !== undefined });
  }

  private bn(x: tf.Tensor4D, name: string, training: boolean, relu = false): tf.Tensor4D {
    const g = this.v(`${name}.gamma`) as tf.Tensor1D;
    const b = this.v(`${name}.beta`) as tf.Tensor1D;
    if (!training) {
      const y = batchNormEval(x, g, b, this.runMean.get(name)! as tf.Tensor1D, this.runVar.get(name)! as tf.Tensor1D);
      return relu ? tf.relu(y) : y;
    }
    return batchNormTrain(x, g, b, (s) => {
      this.pending.get(name)?.mean.dispose();
      this.pending.get(name)?.variance.dispose();
      this.pending.set(name, s);
    }, relu);
  }

  /** Logits [N, classes]. In training mode BN uses batch statistics and records them for `commitBnStats`. */
  forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return this.head(this.features(x, training));
  }

  /**
   * Penultimate features [N, fcIn]: the globally average-pooled output of the last stage (what the linear layer
   * reads). The hardness panel uses them as the embedding z and the linear layer's rows as class vectors.
   */
  features(x: tf.Tensor4D, training: boolean): tf.Tensor2D {
    const a = this.arch;
    let h = this.bn(this.conv(x, a.stem, true), a.stemBn, training, true);
    for (const blk of a.blocks) {
      const o = this.bn(this.conv(h, blk.conv1, false), blk.bn1, training, true);
      const o2 = this.bn(this.conv(o, blk.conv2, false), blk.bn2, training);
      const sc = blk.shortcut ? this.bn(this.conv(h, blk.shortcut.conv, false), blk.shortcut.bn, training) : h;
      h = tf.relu(tf.add(o2, sc)) as tf.Tensor4D;
    }
    return tf.mean(h, [1, 2]) as tf.Tensor2D;
  }

  /** The linear layer: features [N, fcIn] -> logits [N, classes]. */
  head(features: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(features, this.v('fc.w') as tf.Tensor2D), this.v('fc.b')) as tf.Tensor2D;
  }

  /** Fold the last training batch's statistics into the running averages (they are state, not parameters). */
  commitBnStats(): void {
    for (const [name, s] of this.pending) {
      tf.tidy(() => {
        const rm = this.runMean.get(name)!;
        const rv = this.runVar.get(name)!;
        rm.assign(tf.add(tf.mul(rm, 1 - BN_MOMENTUM), tf.mul(s.mean, BN_MOMENTUM)));
        const unbiased = tf.mul(s.variance, s.count / Math.max(1, s.count - 1));
        rv.assign(tf.add(tf.mul(rv, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
      });
      s.mean.dispose();
      s.variance.dispose();
    }
    this.pending.clear();
  }

  /** Current parameter values as plain arrays (for frozen checks, gamma statistics, export). */
  snapshot(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [n, v] of this.vars) out.set(n, v.dataSync() as Float32Array);
    return out;
  }

  /** `snapshot` read asynchronously (GPU backends: see Run.trainStepAsync). */
  async snapshotAsync(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [n, v] of this.vars) out.set(n, (await v.data()) as Float32Array);
    return out;
  }

  dispose(): void {
    for (const v of [...this.vars.values(), ...this.runMean.values(), ...this.runVar.values()]) v.dispose();
    for (const s of this.pending.values()) {
      s.mean.dispose();
      s.variance.dispose();
    }
  }
}

/** A variable that owns its initial value (tf.variable leaves the initial tensor alive otherwise). */
export function variableFrom(t: tf.Tensor, trainable: boolean, name?: string): tf.Variable {
  const v = tf.variable(t, trainable, name);
  t.dispose();
  return v;
}

let counter = 0;
function uid(): number {
  return ++counter;
}
