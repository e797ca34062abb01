import { Gunzip, gzipSync } from 'fflate';
import type { ImageDataset } from './dataset';
import { DatasetFormatError } from './idx';

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
  private gunzip: Gunzip;
  private collector = new CifarCollector();
  private buf = new Uint8Array(0);
  private entry: { name: string; size: number; got: number; data: Uint8Array | null; padded: number } | null = null;
  private ended = false;
  private sawHeader = false;
  private error: Error | null = null;

  constructor(private readonly file: string) {
    this.gunzip = new Gunzip((chunk) => {
      try {
        this.onData(chunk);
      } catch (e) {
        this.error ??= e as Error;
      }
    });
  }

  push(chunk: Uint8Array, final = false): void {
    if (this.error) throw this.error;
    try {
      this.gunzip.push(chunk, final);
    } catch (e) {
      throw this.error ?? new DatasetFormatError(this.file, `not a valid gzip stream (${(e as Error).message})`);
    }
    if (this.error) throw this.error;
  }

  finish(): { train: ImageDataset; test: ImageDataset } {
    if (this.error) throw this.error;
    if (this.entry) throw new DatasetFormatError(this.file, `archive is truncated inside ${this.entry.name}`);
    if (!this.sawHeader) throw new DatasetFormatError(this.file, 'not a tar archive (no tar header found)');
    if (!this.ended) throw new DatasetFormatError(this.file, 'archive is truncated (no end-of-archive marker)');
    return this.collector.finish(this.file);
  }

  private onData(chunk: Uint8Array): void {
    let c = chunk;
    while (c.length > 0 && !this.ended) {
      if (this.entry) {
        const e = this.entry;
        const take = Math.min(c.length, e.padded - e.got);
        if (e.data) {
          const usable = Math.max(0, Math.min(take, e.size - e.got));
          e.data.set(c.subarray(0, usable), e.got);
        }
        e.got += take;
        c = c.subarray(take);
        if (e.got === e.padded) {
          if (e.data) this.collector.add(e.name, e.data);
          this.entry = null;
        }
        continue;
      }
      // Accumulate a 512-byte header.
      const need = 512 - this.buf.length;
      const part = c.subarray(0, need);
      const merged = new Uint8Array(this.buf.length + part.length);
      merged.set(this.buf);
      merged.set(part, this.buf.length);
      this.buf = merged;
      c = c.subarray(part.length);
      if (this.buf.length < 512) return;
      const header = this.buf;
      this.buf = new Uint8Array(0);
      this.readHeader(header);
    }
  }

  private readHeader(h: Uint8Array): void {
    if (h.every((v) => v === 0)) {
      this.ended = true;
      return;
    }
    const str = (a: number, b: number) => new TextDecoder().decode(h.subarray(a, b)).replace(/\0.*$/s, '');
    const stored = parseInt(str(148, 156).trim(), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (!Number.isFinite(stored) || stored !== sum) throw new DatasetFormatError(this.file, 'not a tar archive (header checksum mismatch)');
    this.sawHeader = true;
    const prefix = str(345, 500);
    const name = (prefix ? `${prefix}/` : '') + str(0, 100);
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const padded = Math.ceil(size / 512) * 512;
    const wanted = (type === '0' || type === '\0') && isCifarBatchName(name) !== null;
    if (wanted && size % CIFAR_RECORD !== 0) {
      throw new DatasetFormatError(this.file, `${name} is ${size} bytes, not a multiple of the ${CIFAR_RECORD}-byte record`);
    }
    if (padded > 0) this.entry = { name, size, got: 0, data: wanted ? new Uint8Array(size) : null, padded };
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
