import { gunzipSync, gzipSync } from 'fflate';
import type { ImageDataset } from './dataset';

/** A dataset file that is not what it claims to be; `file` names it, `reason` says why. */
export class DatasetFormatError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'DatasetFormatError';
  }
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** IDX (LeCun's MNIST format), unsigned-byte payloads only, optionally gzipped. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  let b = bytes;
  if (isGzip(b)) {
    try {
      b = gunzipSync(b);
    } catch (e) {
      throw new DatasetFormatError(file, `corrupt gzip stream (${(e as Error).message})`);
    }
  }
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) throw new DatasetFormatError(file, 'not an IDX file (bad magic number)');
  if (b[2] !== 0x08) throw new DatasetFormatError(file, `IDX element type 0x${b[2].toString(16)} is not unsigned byte`);
  const nd = b[3];
  if (nd < 1 || b.length < 4 + 4 * nd) throw new DatasetFormatError(file, 'truncated IDX header');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dims = Array.from({ length: nd }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, d) => a * d, 1);
  const start = 4 + 4 * nd;
  if (b.length - start !== size) {
    throw new DatasetFormatError(file, `IDX payload is ${b.length - start} bytes, dimensions ${dims.join('x')} need ${size}`);
  }
  return { dims, data: b.subarray(start) };
}

/** IDX bytes for an unsigned-byte array (gzipped when `gzip`). Used to ship the Fashion-MNIST subset and in tests. */
export function encodeIdx(dims: number[], data: Uint8Array, gzip = true): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  const view = new DataView(head.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return gzip ? gzipSync(out, { mtime: 0 }) : out;
}

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** An image/label pair of IDX files as an ImageDataset (28x28x1 for Fashion-MNIST). */
export function idxDataset(images: Uint8Array, labels: Uint8Array, names: { images: string; labels: string }): ImageDataset {
  const im = parseIdx(images, names.images);
  const lb = parseIdx(labels, names.labels);
  if (im.dims.length !== 3) throw new DatasetFormatError(names.images, `expected 3 dimensions (n, rows, cols), got ${im.dims.length}`);
  if (lb.dims.length !== 1) throw new DatasetFormatError(names.labels, `expected 1 dimension, got ${lb.dims.length}`);
  if (im.dims[0] !== lb.dims[0]) {
    throw new DatasetFormatError(names.labels, `${lb.dims[0]} labels for ${im.dims[0]} images in ${names.images}`);
  }
  for (let i = 0; i < lb.data.length; i++) {
    if (lb.data[i] >= 10) throw new DatasetFormatError(names.labels, `label ${lb.data[i]} at record ${i} is not in 0..9`);
  }
  return {
    name: 'fashion-mnist',
    n: im.dims[0],
    height: im.dims[1],
    width: im.dims[2],
    channels: 1,
    images: im.data,
    labels: lb.data,
    classes: FASHION_MNIST_CLASSES,
  };
}
