import type { ImageDataset } from '../data/dataset';
import { Rng } from '../math/rng';

export interface Normalisation {
  mean: number[];
  std: number[];
}

/** Per-channel normalisation. CIFAR-10: open_lth's constants; Fashion-MNIST: its training-set mean and std. */
export const NORMALISATION: Record<string, Normalisation> = {
  cifar10: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  'fashion-mnist': { mean: [0.286], std: [0.353] },
};

export interface Augment {
  /** Zero-pad by this many pixels and take a random crop of the original size. */
  cropPad: number;
  flip: boolean;
}

/** The paper's CIFAR augmentation (random crop with 4-pixel padding, horizontal flip); none for Fashion-MNIST. */
export function defaultAugment(dataset: string): Augment | null {
  return dataset === 'cifar10' ? { cropPad: 4, flip: true } : null;
}

/**
 * Gather `idx` images into a normalised float NHWC batch, optionally augmented. Padding is zero in pixel space
 * before normalisation, like torchvision's RandomCrop(padding=4) followed by Normalize.
 */
export function makeBatch(
  d: ImageDataset,
  idx: ArrayLike<number>,
  norm: Normalisation,
  augment: Augment | null,
  rng: Rng | null,
): { x: Float32Array; y: Int32Array } {
  const { height: h, width: w, channels: c } = d;
  const per = h * w * c;
  const x = new Float32Array(idx.length * per);
  const y = new Int32Array(idx.length);
  const scale = norm.std.map((s) => 1 / (255 * s));
  const shift = norm.mean.map((m, i) => -m / norm.std[i]);
  for (let b = 0; b < idx.length; b++) {
    const src = idx[b] * per;
    y[b] = d.labels[idx[b]];
    let dy = 0;
    let dx = 0;
    let flip = false;
    if (augment && rng) {
      const p = augment.cropPad;
      dy = rng.int(2 * p + 1) - p;
      dx = rng.int(2 * p + 1) - p;
      flip = augment.flip && rng.next() < 0.5;
    }
    const o = b * per;
    for (let i = 0; i < h; i++) {
      const si = i + dy;
      for (let j = 0; j < w; j++) {
        const sj0 = flip ? w - 1 - j : j;
        const sj = sj0 + dx;
        const inside = si >= 0 && si < h && sj >= 0 && sj < w;
        for (let k = 0; k < c; k++) {
          const v = inside ? d.images[src + (si * w + sj) * c + k] : 0;
          x[o + (i * w + j) * c + k] = v * scale[k] + shift[k];
        }
      }
    }
  }
  return { x, y };
}
