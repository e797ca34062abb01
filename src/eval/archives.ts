/**
 * The standard datasets' binary archives, streamed (see tar-stream.ts), one split kept:
 * - CIFAR-10 `cifar-10-binary.tar.gz`: `data_batch_{1..5}.bin` / `test_batch.bin`, records of
 *   1 label byte + 3072 pixel bytes (planes R, G, B, rows of 32) — parsed by src/data/cifar.ts;
 * - CIFAR-100 `cifar-100-binary.tar.gz`: `train.bin` / `test.bin`, records of 1 coarse label byte,
 *   1 fine label byte (the 100 classes used here), 3072 pixel bytes;
 * - STL-10 `stl10_binary.tar.gz`: `{train,test}_X.bin` (uint8, 3 planes of 96×96 each stored
 *   column by column, as MATLAB writes them) and `{train,test}_y.bin` (one byte per image, 1..10).
 * Every reader returns NHWC uint8 images in the archive's order.
 */
import { isCifarBatchName, parseCifarBatch, CIFAR_RECORD } from '../data/cifar';
import { DatasetFormatError } from '../data/idx';
import { pushAll, TarGzReader } from '../data/tar-stream';

export type ArchiveKind = 'cifar10' | 'cifar100' | 'stl10';
export type Split = 'train' | 'test';
export const ARCHIVE_KINDS: readonly ArchiveKind[] = ['cifar10', 'cifar100', 'stl10'];

export interface ArraySplit {
  kind: ArchiveKind;
  split: Split;
  n: number;
  width: number;
  height: number;
  /** NHWC uint8 */
  images: Uint8Array;
  labels: Uint8Array;
  classCount: number;
}

export const CIFAR100_RECORD = 3074;
export const STL_SIDE = 96;
export const STL_IMAGE = 3 * STL_SIDE * STL_SIDE;
const CIFAR_PIXELS = 1024;

const base = (name: string) => name.split('/').pop() ?? '';

/** CIFAR-100 records (coarse, fine, pixels) to NHWC images and fine labels. */
export function parseCifar100(bytes: Uint8Array, file: string): { images: Uint8Array; labels: Uint8Array } {
  if (bytes.length === 0 || bytes.length % CIFAR100_RECORD !== 0) {
    throw new DatasetFormatError(file, `size ${bytes.length} is not a positive multiple of the ${CIFAR100_RECORD}-byte CIFAR-100 record`);
  }
  const n = bytes.length / CIFAR100_RECORD;
  const images = new Uint8Array(n * CIFAR_PIXELS * 3);
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * CIFAR100_RECORD;
    if (bytes[o] >= 20) throw new DatasetFormatError(file, `record ${r} has coarse label ${bytes[o]}, expected 0..19`);
    if (bytes[o + 1] >= 100) throw new DatasetFormatError(file, `record ${r} has fine label ${bytes[o + 1]}, expected 0..99`);
    labels[r] = bytes[o + 1];
    const dst = r * CIFAR_PIXELS * 3;
    for (let p = 0; p < CIFAR_PIXELS; p++) {
      images[dst + 3 * p] = bytes[o + 2 + p];
      images[dst + 3 * p + 1] = bytes[o + 2 + CIFAR_PIXELS + p];
      images[dst + 3 * p + 2] = bytes[o + 2 + 2 * CIFAR_PIXELS + p];
    }
  }
  return { images, labels };
}

/** Inverse of parseCifar100 (for tests): coarse label = fine % 20, any value 0..19 is valid. */
export function writeCifar100(images: Uint8Array, labels: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR100_RECORD);
  for (let r = 0; r < labels.length; r++) {
    const o = r * CIFAR100_RECORD;
    out[o] = labels[r] % 20;
    out[o + 1] = labels[r];
    for (let p = 0; p < CIFAR_PIXELS; p++) for (let c = 0; c < 3; c++) out[o + 2 + c * CIFAR_PIXELS + p] = images[r * CIFAR_PIXELS * 3 + 3 * p + c];
  }
  return out;
}

/** STL-10 `*_X.bin` (planes, column-major) to NHWC: pixel (row y, column x) of plane c is byte c·96² + x·96 + y. */
export function parseStlImages(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes.length === 0 || bytes.length % STL_IMAGE !== 0) throw new DatasetFormatError(file, `size ${bytes.length} is not a positive multiple of the ${STL_IMAGE}-byte STL-10 image (3×96×96)`);
  const n = bytes.length / STL_IMAGE;
  const out = new Uint8Array(bytes.length);
  const S = STL_SIDE;
  for (let i = 0; i < n; i++) {
    const o = i * STL_IMAGE;
    for (let c = 0; c < 3; c++)
      for (let x = 0; x < S; x++)
        for (let y = 0; y < S; y++) out[o + (y * S + x) * 3 + c] = bytes[o + c * S * S + x * S + y];
  }
  return out;
}

/** Inverse of parseStlImages (for tests). */
export function writeStlImages(images: Uint8Array): Uint8Array {
  const out = new Uint8Array(images.length);
  const S = STL_SIDE;
  for (let o = 0; o < images.length; o += STL_IMAGE)
    for (let c = 0; c < 3; c++)
      for (let x = 0; x < S; x++)
        for (let y = 0; y < S; y++) out[o + c * S * S + x * S + y] = images[o + (y * S + x) * 3 + c];
  return out;
}

/** Which entries of each archive hold the split, and the record size their length must divide by. */
function wanted(kind: ArchiveKind, split: Split, name: string): { record: number } | null {
  const b = base(name);
  if (kind === 'cifar10') return isCifarBatchName(name) === split ? { record: CIFAR_RECORD } : null;
  if (kind === 'cifar100') return b === `${split}.bin` ? { record: CIFAR100_RECORD } : null;
  if (b === `${split}_X.bin`) return { record: STL_IMAGE };
  if (b === `${split}_y.bin`) return { record: 1 };
  return null;
}

const EXPECTED: Record<ArchiveKind, (split: Split) => string> = {
  cifar10: (s) => (s === 'test' ? 'test_batch.bin' : 'data_batch_1..5.bin'),
  cifar100: (s) => `${s}.bin`,
  stl10: (s) => `${s}_X.bin and ${s}_y.bin`,
};

/** Streaming reader for one split of one archive: `push` compressed chunks, then `finish`. */
export class DatasetArchiveReader {
  private tar: TarGzReader;
  private parts = new Map<string, Uint8Array>();

  constructor(
    readonly kind: ArchiveKind,
    readonly split: Split,
    private readonly file: string,
  ) {
    this.tar = new TarGzReader(
      file,
      (name, size) => {
        const w = wanted(kind, split, name);
        if (!w) return false;
        if (size === 0 || size % w.record !== 0) return `${name} is ${size} bytes, not a positive multiple of the ${w.record}-byte record: wrong file or truncated`;
        return true;
      },
      (name, data) => this.parts.set(name, data),
    );
  }

  get consumed(): number {
    return this.tar.consumed;
  }

  push(chunk: Uint8Array, final = false): void {
    this.tar.push(chunk, final);
  }

  finish(): ArraySplit {
    this.tar.finish();
    const { kind, split, file } = this;
    if (this.parts.size === 0) throw new DatasetFormatError(file, `no ${split} split found: expected ${EXPECTED[kind](split)} (is this a ${kind} binary archive?)`);
    const names = [...this.parts.keys()].sort((a, b) => base(a).localeCompare(base(b)));
    if (kind === 'stl10') return this.stl(names);
    const batches = names.map((n) => (kind === 'cifar10' ? parseCifarBatch(this.parts.get(n)!, `${file}: ${n}`) : parseCifar100(this.parts.get(n)!, `${file}: ${n}`)));
    const n = batches.reduce((s, b) => s + b.labels.length, 0);
    const images = new Uint8Array(n * CIFAR_PIXELS * 3);
    const labels = new Uint8Array(n);
    let k = 0;
    for (const b of batches) {
      images.set(b.images, k * CIFAR_PIXELS * 3);
      labels.set(b.labels, k);
      k += b.labels.length;
    }
    return { kind, split, n, width: 32, height: 32, images, labels, classCount: kind === 'cifar10' ? 10 : 100 };
  }

  private stl(names: string[]): ArraySplit {
    const x = names.find((n) => base(n) === `${this.split}_X.bin`);
    const y = names.find((n) => base(n) === `${this.split}_y.bin`);
    if (!x || !y) throw new DatasetFormatError(this.file, `STL-10 ${this.split} split needs both ${this.split}_X.bin and ${this.split}_y.bin; found only ${base(x ?? y!)}`);
    const images = parseStlImages(this.parts.get(x)!, `${this.file}: ${x}`);
    const raw = this.parts.get(y)!;
    const n = images.length / STL_IMAGE;
    if (raw.length !== n) throw new DatasetFormatError(this.file, `${y} has ${raw.length} labels but ${x} has ${n} images`);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (raw[i] < 1 || raw[i] > 10) throw new DatasetFormatError(this.file, `${y}: label ${raw[i]} of image ${i} is not in 1..10`);
      labels[i] = raw[i] - 1;
    }
    return { kind: 'stl10', split: this.split, n, width: STL_SIDE, height: STL_SIDE, images, labels, classCount: 10 };
  }
}

/** One split of an archive held in memory. */
export function readDatasetArchive(bytes: Uint8Array, kind: ArchiveKind, split: Split, file: string): ArraySplit {
  const r = new DatasetArchiveReader(kind, split, file);
  pushAll(r, bytes, file);
  return r.finish();
}
