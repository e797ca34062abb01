import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset';
import { NORMALISATION, defaultAugment, makeBatch } from './dataset';
import { Net, variableFrom } from './model';
import { type Mode, countTrainable, trainableSet } from './modes';
import { type ParamInit, architecture, countParams, initParams } from './resnet';
import { Rng } from '../math/rng';
import { DEFAULT_PACING, type Pacing, nextBatch, poolSize } from './curriculum';

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
  /** data order: a fresh shuffle per epoch, or easy-to-hard with a growing pool (needs the order, see `Run`) */
  order?: 'shuffled' | 'curriculum';
  pacing?: Pacing;
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
  order: 'shuffled',
  pacing: DEFAULT_PACING,
};

export function learningRate(cfg: TrainConfig, step: number): number {
  let lr = cfg.lr;
  for (const m of cfg.milestones) if (step >= Math.floor(m * cfg.steps)) lr *= cfg.lrDecay;
  return lr;
}

/** A dataset seen through a trained network: row r is image `indices[r]`. */
export interface Embedding {
  n: number;
  dim: number;
  classCount: number;
  indices: Int32Array;
  /** [n, dim] */
  features: Float32Array;
  /** [n, classCount] */
  logits: Float32Array;
  labels: Int32Array;
  /** [classCount, dim]: class k's row of the linear layer */
  classVectors: Float32Array;
  bias: Float32Array;
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
    /** training-set indices, easiest first (a permutation of 0..n-1), used when cfg.order is 'curriculum' */
    readonly curriculum: Int32Array | null = null,
  ) {
    if (cfg.order === 'curriculum') {
      if (!curriculum) throw new Error('curriculum order: no easy-to-hard order was given for the training set');
      if (curriculum.length !== train.n) throw new Error(`curriculum order: ${curriculum.length} indices for ${train.n} training images`);
    } else this.curriculum = null;
    const arch = architecture({ depth: cfg.depth, width: cfg.width, inChannels: train.channels, numClasses: train.classes.length });
    const trainable = trainableSet(mode, params, cfg.seed);
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

  /** Current curriculum pool size (the whole set when training shuffled). */
  poolSize(): number {
    return this.curriculum ? poolSize(this.train.n, this.step, this.cfg.steps, this.cfg.pacing ?? DEFAULT_PACING) : this.train.n;
  }

  /** The next batch's indices; also used by tests to check the stream. */
  nextIndices(): Int32Array {
    const s = { order: this.order, cursor: this.cursor };
    const out = nextBatch(this.rng, s, this.train.n, this.cfg.batch, this.curriculum, this.poolSize());
    this.order = s.order;
    this.cursor = s.cursor;
    return out;
  }

  /**
   * One SGD step (PyTorch semantics: buf = m*buf + (g + wd*p); p -= lr*buf). Frozen elements are never written.
   * Reads the loss with dataSync: CPU backends (the CLI, Node). A GPU backend must use `trainStepAsync`: TF.js
   * WebGPU's dataSync copies through a canvas, which reads zeros and destroys the device on some adapters
   * (Chromium with SwiftShader: the "first loss 0" of the bench; see src/bnonly/gpu-check.ts).
   */
  trainStep(): StepEvent {
    const s = this.stepTensors();
    try {
      return this.finishStep(s, s.loss.dataSync()[0], s.pred.dataSync());
    } finally {
      tf.dispose([s.loss, s.pred]);
    }
  }

  /** `trainStep` with the loss and predictions read asynchronously (every backend, the only safe way on WebGPU). */
  async trainStepAsync(): Promise<StepEvent> {
    const s = this.stepTensors();
    try {
      const [loss, pred] = await Promise.all([s.loss.data(), s.pred.data()]);
      return this.finishStep(s, loss[0], pred);
    } finally {
      tf.dispose([s.loss, s.pred]);
    }
  }

  private stepTensors(): { loss: tf.Scalar; pred: tf.Tensor; y: Int32Array; lr: number } {
    const cfg = this.cfg;
    const augment = cfg.augment ? defaultAugment(this.train.name) : null;
    const { x, y } = makeBatch(this.train, this.nextIndices(), NORMALISATION[this.train.name], augment, this.rng);
    const lr = learningRate(cfg, this.step);
    const { height: h, width: w, channels: c } = this.train;
    const n = y.length;
    const out = tf.tidy(() => {
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
      const pred = tf.argMax(logitsKept!, 1);
      (logitsKept as tf.Tensor | null)?.dispose();
      return { loss: value, pred };
    });
    this.net.commitBnStats();
    this.step++;
    return { ...out, y, lr };
  }

  private finishStep(s: { y: Int32Array; lr: number }, loss: number, pred: ArrayLike<number>): StepEvent {
    let correct = 0;
    for (let i = 0; i < s.y.length; i++) if (pred[i] === s.y[i]) correct++;
    return { step: this.step, loss, trainAccuracy: correct / s.y.length, lr: s.lr };
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

  /** `evaluate` reading asynchronously (GPU backends). */
  async evaluateAsync(test: ImageDataset, batch = 256): Promise<number> {
    let correct = 0;
    const norm = NORMALISATION[test.name];
    for (let s = 0; s < test.n; s += batch) {
      const idx = Array.from({ length: Math.min(batch, test.n - s) }, (_, i) => s + i);
      const { x, y } = makeBatch(test, idx, norm, null, null);
      const t = tf.tidy(() => tf.argMax(this.net.forward(tf.tensor4d(x, [idx.length, test.height, test.width, test.channels]), false), 1));
      const pred = await t.data();
      t.dispose();
      for (let i = 0; i < idx.length; i++) if (pred[i] === y[i]) correct++;
    }
    return test.n === 0 ? 0 : correct / test.n;
  }

  /**
   * Penultimate features z (BN in eval mode, like `evaluate`) and logits of `idx` images of `data` (default: all),
   * plus the linear layer's class vectors (rows of fc.w transposed) and bias: the hardness panel's input.
   */
  embed(data: ImageDataset, idx?: ArrayLike<number>, batch = 256): Embedding {
    const e = this.embedTensors(data, idx, batch);
    for (const b of e.batches) {
      e.put(b, b.f.dataSync() as Float32Array, b.l.dataSync() as Float32Array);
      tf.dispose([b.f, b.l]);
    }
    return e.finish(this.net.vars.get('fc.w')!.dataSync() as Float32Array, this.net.vars.get('fc.b')!.dataSync() as Float32Array);
  }

  /** `embed` reading asynchronously (GPU backends). */
  async embedAsync(data: ImageDataset, idx?: ArrayLike<number>, batch = 256): Promise<Embedding> {
    const e = this.embedTensors(data, idx, batch);
    for (const b of e.batches) {
      e.put(b, (await b.f.data()) as Float32Array, (await b.l.data()) as Float32Array);
      tf.dispose([b.f, b.l]);
    }
    return e.finish((await this.net.vars.get('fc.w')!.data()) as Float32Array, (await this.net.vars.get('fc.b')!.data()) as Float32Array);
  }

  private embedTensors(data: ImageDataset, idx: ArrayLike<number> | undefined, batch: number) {
    const all = idx ?? Int32Array.from({ length: data.n }, (_, i) => i);
    const n = all.length;
    const dim = this.net.arch.fcIn;
    const C = data.classes.length;
    const features = new Float32Array(n * dim);
    const logits = new Float32Array(n * C);
    const labels = new Int32Array(n);
    const norm = NORMALISATION[data.name];
    const net = this.net;
    type Batch = { s: number; y: Int32Array; f: tf.Tensor; l: tf.Tensor };
    // one batch at a time, computed when the caller asks for it (reading it first keeps GPU memory small)
    const batches: Iterable<Batch> = {
      *[Symbol.iterator]() {
        for (let s = 0; s < n; s += batch) {
          const part = Array.from({ length: Math.min(batch, n - s) }, (_, i) => all[s + i]);
          const { x, y } = makeBatch(data, part, norm, null, null);
          const [f, l] = tf.tidy(() => {
            const f = net.features(tf.tensor4d(x, [part.length, data.height, data.width, data.channels]), false);
            return [f, net.head(f)];
          });
          yield { s, y, f, l };
        }
      },
    };
    return {
      batches,
      put(b: Batch, z: Float32Array, l: Float32Array) {
        features.set(z, b.s * dim);
        logits.set(l, b.s * C);
        labels.set(b.y, b.s);
      },
      finish(w: Float32Array, b: Float32Array): Embedding {
        // w: fc.w [dim, C]
        const classVectors = new Float32Array(C * dim);
        for (let k = 0; k < C; k++) for (let j = 0; j < dim; j++) classVectors[k * dim + j] = w[j * C + k];
        return { n, dim, classCount: C, indices: Int32Array.from(all), features, logits, labels, classVectors, bias: Float32Array.from(b) };
      },
    };
  }

  /** True when every frozen element equals its initial value bit for bit. `now`: the parameters (default: read now, synchronously). */
  frozenUnchanged(now: Map<string, Float32Array> = this.net.snapshot()): boolean {
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
