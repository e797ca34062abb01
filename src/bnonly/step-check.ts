/**
 * One BatchNorm-only training step on whichever TF.js backend is active, for the device test
 * (src/runtime/device-test.ts): the same seeded images, initialisation and batch on every backend,
 * so the first loss must agree with WASM's. The caller switches the backend (useBackend).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset';
import { Rng } from '../math/rng';
import { DEFAULT_CONFIG, Run, initialParams, type TrainConfig } from './trainer';

/** A small network and batch: a few seconds on a slow backend, enough work to time a fast one. */
export const STEP_CHECK_CONFIG: TrainConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, steps: 10, batch: 16, seed: 11, augment: false, order: 'shuffled' };

/** Seeded Fashion-MNIST-shaped images (28×28 grey, 10 classes): no download, the same bytes everywhere. */
export function syntheticImages(n = 64, seed = 7): ImageDataset {
  const rng = new Rng(seed);
  const images = new Uint8Array(n * 28 * 28);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10;
    // a class-dependent bright band plus noise: a loss the network can move
    for (let p = 0; p < 28 * 28; p++) images[i * 784 + p] = Math.min(255, (Math.floor(p / 28) % 10 === labels[i] ? 160 : 0) + rng.int(96));
  }
  return { name: 'fashion-mnist', n, height: 28, width: 28, channels: 1, images, labels, classes: Array.from({ length: 10 }, (_, k) => String(k)) };
}

export interface StepTiming {
  backend: string;
  first_loss: number;
  /** first step: kernel compilation and uploads included */
  first_step_ms: number;
  /** second step: steady state */
  step_ms: number;
}

/** Two 'bn' mode steps from the shared initialisation on the active backend, timed with their readback. */
export async function timeBnStep(now: () => number = () => performance.now()): Promise<StepTiming> {
  await tf.ready();
  const data = syntheticImages();
  const cfg = STEP_CHECK_CONFIG;
  const run = new Run('bn', initialParams(cfg, data), cfg, data);
  try {
    // read back asynchronously (trainStepAsync): TF.js WebGPU's dataSync reads zeros on some adapters
    let t = now();
    const first = await run.trainStepAsync();
    const first_step_ms = now() - t;
    t = now();
    await run.trainStepAsync();
    const step_ms = now() - t;
    return { backend: tf.getBackend(), first_loss: first.loss, first_step_ms, step_ms };
  } finally {
    run.dispose();
  }
}
