import { gzipSync } from 'fflate';
import type { ImageDataset } from './dataset';
import { DatasetFormatError } from './idx';
import { TarGzReader } from './tar-stream';

/**
 * CIFAR-10 "binary version": each record is 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B, rows of 32),
 * 10,000 records per `data_batch_{1..5}.bin` / `test_batch.bin`, shipped as `cifar-10-binary.tar.gz`.
 * Records become NHWC uint8 (channels interleaved) as every dataset here.
 */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
export const CIFAR_RECORD = 3073;
const PIXELS = 1024;

export function isCifarBatchName(name: string): 'train' | 'test' | null {
  const base = name.split('/').pop() ?? '';
  if (/^data_batch_[1-5]\.bin$/.test(base)) return 'train';
  if (base === 'test_batch.bin') return 'test';
  return null;
}

/** Decode one batch file's records into interleaved images and labels, validating size and labels. */
export function parseCifarBatch(bytes: Uint8Array, file: string): { images: Uint8Array; labels: Uint8Array } {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD !== 0) {
    throw new DatasetFormatError(file, `size ${bytes.length} is not a positive multiple of the ${CIFAR_RECORD}-byte CIFAR-10 record`);
  }
  const n = bytes.length / CIFAR_RECORD;
  const images = new Uint8Array(n * PIXELS * 3);
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * CIFAR_RECORD;
    const label = bytes[o];
    if (label >= 10) throw new DatasetFormatError(file, `record ${r} has label ${label}, expected 0..9`);
    labels[r] = label;
    const dst = r * PIXELS * 3;
    for (let p = 0; p < PIXELS; p++) {
      images[dst + 3 * p] = bytes[o + 1 + p];
      images[dst + 3 * p + 1] = bytes[o + 1 + PIXELS + p];
      images[dst + 3 * p + 2] = bytes[o + 1 + 2 * PIXELS + p];
    }
  }
  return { images, labels };
}

/** The official layout for interleaved 32x32x3 images: the inverse of parseCifarBatch (for tests and fixtures). */
export function writeCifarBatch(images: Uint8Array, labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR_RECORD);
  for (let r = 0; r < labels.length; r++) {
    const o = r * CIFAR_RECORD;
    out[o] = labels[r];
    const src = r * PIXELS * 3;
    for (let p = 0; p < PIXELS; p++) {
      out[o + 1 + p] = images[src + 3 * p];
      out[o + 1 + PIXELS + p] = images[src + 3 * p + 1];
      out[o + 1 + 2 * PIXELS + p] = images[src + 3 * p + 2];
    }
  }
  return out;
}

/** Collects batch files (in any order) into train and test ImageDatasets. */
export class CifarCollector {
  private parts = { train: new Map<string, { images: Uint8Array; labels: Uint8Array }>(), test: new Map<string, { images: Uint8Array; labels: Uint8Array }>() };

  add(name: string, bytes: Uint8Array): void {
    const split = isCifarBatchName(name);
    if (split) this.parts[split].set(name.split('/').pop()!, parseCifarBatch(bytes, name));
  }

  finish(source: string): { train: ImageDataset; test: ImageDataset } {
    if (this.parts.train.size === 0 && this.parts.test.size === 0) {
      throw new DatasetFormatError(source, 'no CIFAR-10 batch files (data_batch_1..5.bin, test_batch.bin) found');
    }
    return { train: this.join(this.parts.train), test: this.join(this.parts.test) };
  }

  private join(m: Map<string, { images: Uint8Array; labels: Uint8Array }>): ImageDataset {
    const batches = [...m].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
    const n = batches.reduce((s, b) => s + b.labels.length, 0);
    const images = new Uint8Array(n * PIXELS * 3);
    const labels = new Uint8Array(n);
    let k = 0;
    for (const b of batches) {
      images.set(b.images, k * PIXELS * 3);
      labels.set(b.labels, k);
      k += b.labels.length;
    }
    return { name: 'cifar10', n, height: 32, width: 32, channels: 3, images, labels, classes: CIFAR10_CLASSES };
  }
}

/**
 * Streaming reader for `cifar-10-binary.tar.gz`: feed compressed chunks with `push`, then `finish`.
 * Gunzip and tar parsing run chunk by chunk (fflate), so only the batch files' bytes are ever held.
 */
export class CifarArchiveReader {
  private collector = new CifarCollector();
  private tar: TarGzReader;

  constructor(private readonly file: string) {
    this.tar = new TarGzReader(
      file,
      (name, size) => {
        if (isCifarBatchName(name) === null) return false;
        return size % CIFAR_RECORD === 0 ? true : `${name} is ${size} bytes, not a multiple of the ${CIFAR_RECORD}-byte record`;
      },
      (name, data) => this.collector.add(name, data),
    );
  }

  push(chunk: Uint8Array, final = false): void {
    this.tar.push(chunk, final);
  }

  finish(): { train: ImageDataset; test: ImageDataset } {
    this.tar.finish();
    return this.collector.finish(this.file);
  }
}

/** Read a whole `cifar-10-binary.tar.gz` held in memory (the streaming reader over one chunk). */
export function readCifarArchive(bytes: Uint8Array, file: string): { train: ImageDataset; test: ImageDataset } {
  const r = new CifarArchiveReader(file);
  const step = 1 << 20;
  for (let o = 0; o < bytes.length; o += step) r.push(bytes.subarray(o, o + step), o + step >= bytes.length);
  if (bytes.length === 0) throw new DatasetFormatError(file, 'empty file');
  return r.finish();
}

/** A ustar archive of the given files, gzipped: the official packaging, for tests. */
export function writeTarGz(files: { name: string; data: Uint8Array }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const f of files) {
    const h = new Uint8Array(512);
    h.set(enc.encode(f.name).subarray(0, 100), 0);
    h.set(enc.encode('0000644\0'), 100);
    h.set(enc.encode('0000000\0'), 108);
    h.set(enc.encode('0000000\0'), 116);
    h.set(enc.encode(f.data.length.toString(8).padStart(11, '0') + '\0'), 124);
    h.set(enc.encode('00000000000\0'), 136);
    h.set(enc.encode('        '), 148);
    h[156] = 48;
    h.set(enc.encode('ustar\0'), 257);
    h.set(enc.encode('00'), 263);
    let sum = 0;
    for (const v of h) sum += v;
    h.set(enc.encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
    blocks.push(h, f.data, new Uint8Array((512 - (f.data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const total = blocks.reduce((s, b) => s + b.length, 0);
  const tar = new Uint8Array(total);
  let o = 0;
  for (const b of blocks) {
    tar.set(b, o);
    o += b.length;
  }
  return gzipSync(tar, { mtime: 0 });
}
