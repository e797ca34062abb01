/**
 * The Hardness demo (no download): 500 bundled Fashion-MNIST test images with the features and class
 * vectors of a small network trained on the bundled training subset (public/samples/
 * fashion-mnist-hardness.json, made by scripts/hardness-sample.ts). Its logits are 100 x cosine, as
 * CLIP's are, so the panel's AVH, histograms and label-error views work on it unchanged; the features
 * go to the embedding cache so the linear-probe class vectors work too.
 */
import { parseIdx } from '../../src/data/idx';
import { CLIP_LOGIT_SCALE, CLIP_SCORING } from '../../src/models/clip/scoring';
import { sha256Hex } from '../../src/runtime/content-hash';
import { EmbeddingCache } from '../../src/runtime/embedding-cache';
import { encodeGrayPng } from '../../src/segment/png-encode';
import type { ItemResult } from '../../src/runtime/clip-protocol';
import type { ImageItem } from '../stores/images';
import type { ResultSet } from '../stores/classify';

interface Sample {
  model: string;
  classes: string[];
  scale: number;
  dim: number;
  count: number;
  testAccuracy: number;
  labels: number[];
  features: string;
  classVectors: string;
}

const f32 = (b64: string) => {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
};

async function fetchBytes(path: string): Promise<Uint8Array> {
  const r = await fetch(new URL(path, document.baseURI));
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * A 28x28 grayscale image as a PNG, drawn 2x (nearest) so thumbnails are not a blur. Encoded here
 * rather than by OffscreenCanvas.convertToBlob: Chromium encodes that in idle time, and while the
 * panel renders (the "Preparing" state) each call waited ~1 s for an idle slot: 500 s for the demo.
 */
function png(pixels: Uint8Array): Uint8Array<ArrayBuffer> {
  const big = new Uint8Array(56 * 56);
  for (let y = 0; y < 56; y++) for (let x = 0; x < 56; x++) big[y * 56 + x] = pixels[(y >> 1) * 28 + (x >> 1)];
  return encodeGrayPng(big, 56, 56) as Uint8Array<ArrayBuffer>; // fast-png writes a plain ArrayBuffer
}

export interface HardnessDemo {
  items: ImageItem[];
  results: ResultSet;
  testAccuracy: number;
}

export async function loadHardnessDemo(): Promise<HardnessDemo> {
  const sample = (await (await fetch(new URL('samples/fashion-mnist-hardness.json', document.baseURI))).json()) as Sample;
  const images = parseIdx(await fetchBytes('datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'), 't10k-images-idx3-ubyte.gz');
  const feats = f32(sample.features);
  const vecs = f32(sample.classVectors);
  const { dim, classes } = sample;
  const items: ImageItem[] = [];
  const byId: Record<string, ItemResult> = {};
  const cacheEntries: { key: { model: string; dtype: string; hash: string }; value: Float32Array }[] = [];
  for (let i = 0; i < sample.count; i++) {
    const bytes = png(images.data.subarray(i * 784, (i + 1) * 784));
    const hash = await sha256Hex(bytes);
    const blob = new Blob([bytes], { type: 'image/png' });
    const label = classes[sample.labels[i]];
    const name = `test-${String(i).padStart(4, '0')}.png`;
    const id = `fmnist-${i}`;
    const file = new File([blob], name, { type: 'image/png' });
    items.push({ id, path: `fashion-mnist/${label}/${name}`, name, label, file, size: blob.size, hash, thumb: blob });
    const z = feats.subarray(i * dim, (i + 1) * dim);
    const logits = classes.map((_, k) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += z[j] * vecs[k * dim + j];
      // trained at scale 100; CLIP's 100.003 here so the panel's arccos(logit / scale) gives the exact angle
      return CLIP_LOGIT_SCALE * s;
    });
    const max = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - max));
    const sum = e.reduce((a, b) => a + b, 0);
    byId[id] = { id, ok: true, hash, logits, probs: e.map((v) => v / sum), cached: true };
    cacheEntries.push({ key: { model: sample.model, dtype: 'fp32', hash }, value: z.slice() });
  }
  await new EmbeddingCache().putMany(cacheEntries);
  const results: ResultSet = { classes, templates: [], model: sample.model, device: 'wasm', dtype: 'fp32', scoring: CLIP_SCORING, finishedAt: Date.now(), restored: false, byId };
  return { items, results, testAccuracy: sample.testAccuracy };
}
