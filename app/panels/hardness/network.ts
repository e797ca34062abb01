/**
 * A BatchNorm-panel run as a hardness dataset: its penultimate features are the embeddings z, its linear layer's
 * rows the class vectors, its logits give confidence/entropy/margin, the dataset labels are the given labels and
 * thumbnails are drawn from the pixels (uncompressed BMP: no canvas needed, and a few KB per image).
 */
import { CLIP_SCORING } from '../../../src/models/clip/scoring';
import { softmax } from '../../../src/math/softmax';
import type { RunEmbedding } from '../../workers/bnonly-protocol';
import type { ImageItem } from '../../stores/images';
import type { Dataset, DataItem } from './dataset';

/** A 24-bit bottom-up BMP of one uint8 image (1 or 3 channels, HWC). */
export function bmp(pixels: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const row = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + row * height;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out[0] = 0x42; // 'B'
  out[1] = 0x4d; // 'M'
  dv.setUint32(2, size, true);
  dv.setUint32(10, 54, true);
  dv.setUint32(14, 40, true);
  dv.setInt32(18, width, true);
  dv.setInt32(22, height, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, 24, true);
  dv.setUint32(34, row * height, true);
  for (let y = 0; y < height; y++) {
    const o = 54 + (height - 1 - y) * row;
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * channels;
      const [r, g, b] = channels === 1 ? [pixels[p], pixels[p], pixels[p]] : [pixels[p], pixels[p + 1], pixels[p + 2]];
      out[o + x * 3] = b;
      out[o + x * 3 + 1] = g;
      out[o + x * 3 + 2] = r;
    }
  }
  return out;
}

export const datasetTitle = (d: string) => (d === 'cifar10' ? 'CIFAR-10' : 'Fashion-MNIST');

/** "ResNet-8-16 · bn · Fashion-MNIST" (names only: the panel words the split and the step in the user's language) */
export function runLabel(e: Pick<RunEmbedding, 'depth' | 'width' | 'mode' | 'dataset'>): string {
  return `ResNet-${e.depth}-${e.width} · ${e.mode} · ${datasetTitle(e.dataset)}`;
}

export function networkDataset(e: RunEmbedding): Dataset {
  const { n, dim, classCount: C, features, logits, labels, indices, classVectors } = e.embedding;
  const { height: h, width: w, channels: c } = e.image;
  const per = h * w * c;
  const items: DataItem[] = [];
  for (let r = 0; r < n; r++) {
    const index = indices[r];
    const label = labels[r];
    const name = `${e.split}-${String(index).padStart(5, '0')}.bmp`;
    const thumb = new Blob([bmp(e.pixels.subarray(r * per, (r + 1) * per), w, h, c) as Uint8Array<ArrayBuffer>], { type: 'image/bmp' });
    const item: ImageItem = { id: `bn-${e.experimentId}-${e.split}-${index}`, path: `${e.dataset}/${e.split}/${e.classes[label]}/${name}`, name, label: e.classes[label], size: thumb.size, thumb };
    const l = Array.from(logits.subarray(r * C, (r + 1) * C));
    items.push({ item, logits: l, probs: Array.from(softmax(l)), label, index });
  }
  return {
    key: `bnonly|${e.experimentId}|${e.mode}|${e.split}|${e.step}|${n}`,
    classes: e.classes,
    model: runLabel(e),
    dtype: 'fp32',
    // softmax over the network's own logits (not used to recover angles: those come from its features)
    scoring: CLIP_SCORING,
    items,
    labelled: n,
    vectors: { dim, features, classVectors },
    origin: { dataset: e.dataset, split: e.split, run: e.experimentId },
  };
}
