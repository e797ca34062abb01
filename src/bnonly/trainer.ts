import * as tf from '@tensorflow/tfjs';
import { type ImageDataset, NORMALISATION, defaultAugment, makeBatch } from './dataset';
import { Net, variableFrom } from './model';
import { type Mode, countTrainable, trainableSet } from './modes';
import { type ParamInit, architecture, countParams, initParams } from './resnet';
import { Rng } from './rng';

/** open_lth's CIFAR ResNet defaults, scaled to the number of steps a browser run can afford. */
export interface TrainConfig {
  depth: number;
  width: number;
  steps: number;
  batch: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  /** Fractions of `steps` at which the learning rate is multiplied by `lrDecay` (open_lth: epochs 80, 120 of 160). */
  milestones: number[];
  lrDecay: number;
  seed: number;
  augment: boolean;
}

export const DEFAULT_CONFIG: TrainConfig = {
  depth: 20,
  width: 16,
  steps: 100,
  batch: 128,
  lr: 0.1,
  momentum: 0.9,
  weightDecay: 1e-4,
  milestones: [0.5, 0.75],
  lrDecay: 0.1,
  seed: 0,
  augment: true,
};

export function learningRate(cfg: TrainConfig, step: number): number {
  let lr = cfg.lr;
  for (const m of cfg.milestones) if (step >= Math.floor(m * cfg.steps)) lr *= cfg.lrDecay;
  return lr;
}

export interface StepEvent {
  step: number;
  loss: number;
  trainAccuracy: number;
  lr: number;
}

/** One mode's training run over a shared initialisation. The browser worker and the CLI drive the same object. */
export class Run {
  readonly net: Net;
  readonly trainableParams: number;
  readonly totalParams: number;
  private momentum = new Map<string, tf.Variable>();
  private masks = new Map<string, tf.Tensor>();
  private rng: Rng;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  step = 0;

  constructor(
    readonly mode: Mode,
    readonly params: ParamInit[],
    readonly cfg: TrainConfig,
    readonly train: ImageDataset,
  ) {
    const arch = architecture({ depth: cfg.depth, width: cfg.width, inChannels: train.channels, numClasses: train.classes.length });
    const trainable = trainableSet(mode, arch, params, cfg.seed);
    this.net = new Net(arch, params, trainable);
    this.trainableParams = countTrainable(trainable, params);
    this.totalParams = countParams(params);
    for (const [name, m] of trainable) {
      const v = this.net.vars.get(name)!;
      this.momentum.set(name, variableFrom(tf.zerosLike(v), false));
      if (m !== true) this.masks.set(name, tf.tensor(m, v.shape, 'bool'));
    }
    // Same data order and augmentation for every mode: the stream depends on the seed only.
    this.rng = new Rng(cfg.seed).fork(3);
  }

  private nextIndices(): Int32Array {
    const b = Math.min(this.cfg.batch, this.train.n);
    const out = new Int32Array(b);
    for (let i = 0; i < b; i++) {
      if (this.cursor >= this.order.length) {
        this.order = this.rng.shuffle(this.train.n);
        this.cursor = 0;
      }
      out[i] = this.order[this.cursor++];
    }
    return out;
  }

  /** One SGD step (PyTorch semantics: buf = m*buf + (g + wd*p); p -= lr*buf). Frozen elements are never written. */
  trainStep(): StepEvent {
    const cfg = this.cfg;
    const augment = cfg.augment ? defaultAugment(this.train.name) : null;
    const { x, y } = makeBatch(this.train, this.nextIndices(), NORMALISATION[this.train.name], augment, this.rng);
    const lr = learningRate(cfg, this.step);
    const { height: h, width: w, channels: c } = this.train;
    const n = y.length;
    let loss = 0;
    let correct = 0;
    tf.tidy(() => {
      const xb = tf.tensor4d(x, [n, h, w, c]);
      const yb = tf.oneHot(tf.tensor1d(y, 'int32'), this.train.classes.length);
      let logitsKept: tf.Tensor | null = null;
      const names = [...this.net.trainable.keys()];
      const vars = names.map((nm) => this.net.vars.get(nm)!);
      const { value, grads } = tf.variableGrads(() => {
        const logits = this.net.forward(xb, true);
        logitsKept = tf.keep(logits);
        return tf.losses.softmaxCrossEntropy(yb, logits) as tf.Scalar;
      }, vars);
      names.forEach((name, i) => {
        const v = vars[i];
        let g: tf.Tensor = tf.add(grads[v.name], tf.mul(v, cfg.weightDecay));
        const mask = this.masks.get(name);
        if (mask) g = tf.where(mask, g, tf.zerosLike(g));
        const buf = this.momentum.get(name)!;
        buf.assign(tf.add(tf.mul(buf, cfg.momentum), g));
        const next = tf.sub(v, tf.mul(buf, lr));
        v.assign(mask ? tf.where(mask, next, v) : next);
      });
      loss = value.dataSync()[0];
      const pred = tf.argMax(logitsKept!, 1).dataSync();
      for (let i = 0; i < n; i++) if (pred[i] === y[i]) correct++;
      (logitsKept as tf.Tensor | null)?.dispose();
    });
    this.net.commitBnStats();
    this.step++;
    return { step: this.step, loss, trainAccuracy: correct / n, lr };
  }

  /** Accuracy with BN in eval mode (running statistics). */
  evaluate(test: ImageDataset, batch = 256): number {
    let correct = 0;
    const norm = NORMALISATION[test.name];
    for (let s = 0; s < test.n; s += batch) {
      const idx = Array.from({ length: Math.min(batch, test.n - s) }, (_, i) => s + i);
      const { x, y } = makeBatch(test, idx, norm, null, null);
      const pred = tf.tidy(() =>
        tf.argMax(this.net.forward(tf.tensor4d(x, [idx.length, test.height, test.width, test.channels]), false), 1).dataSync(),
      );
      for (let i = 0; i < idx.length; i++) if (pred[i] === y[i]) correct++;
    }
    return test.n === 0 ? 0 : correct / test.n;
  }

  /** True when every frozen element equals its initial value bit for bit. */
  frozenUnchanged(): boolean {
    const now = this.net.snapshot();
    for (const p of this.params) {
      const cur = new Uint32Array(now.get(p.name)!.buffer.slice(0));
      const init = new Uint32Array(p.data.buffer, p.data.byteOffset, p.data.length);
      const t = this.net.trainable.get(p.name);
      if (t === true) continue;
      for (let i = 0; i < init.length; i++) if ((!t || t[i] === 0) && cur[i] !== init[i]) return false;
    }
    return true;
  }

  dispose(): void {
    this.net.dispose();
    for (const v of this.momentum.values()) v.dispose();
    for (const m of this.masks.values()) m.dispose();
  }
}

export function initialParams(cfg: TrainConfig, train: ImageDataset): ParamInit[] {
  return initParams(architecture({ depth: cfg.depth, width: cfg.width, inChannels: train.channels, numClasses: train.classes.length }), cfg.seed);
}
