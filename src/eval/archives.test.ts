/**
 * The dataset archives, built here in the exact binary layouts (records written byte by byte, not
 * through the readers' own inverses), read back whole and in small chunks; bad archives give one
 * clear error naming the file and the reason.
 */
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeTarGz } from '../data/cifar';
import { DatasetArchiveReader, readDatasetArchive, STL_IMAGE } from './archives';

/** A pixel value that differs by plane, row and column, so any transposition shows. */
const val = (img: number, c: number, y: number, x: number) => (img * 31 + c * 101 + y * 7 + x * 3) % 256;

function cifarRecords(labels: number[], side: number, prefix: (i: number) => number[]): Uint8Array {
  const out: number[] = [];
  labels.forEach((_, i) => {
    out.push(...prefix(i));
    for (let c = 0; c < 3; c++) for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out.push(val(i, c, y, x));
  });
  return Uint8Array.from(out);
}

/** STL-10 stores each plane column by column (MATLAB order). */
function stlImages(n: number): Uint8Array {
  const out = new Uint8Array(n * STL_IMAGE);
  let k = 0;
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) for (let x = 0; x < 96; x++) for (let y = 0; y < 96; y++) out[k++] = val(i, c, y, x);
  return out;
}

function expectPixels(images: Uint8Array, n: number, side: number) {
  for (const i of [0, n - 1])
    for (const [y, x] of [[0, 1], [1, 0], [side - 1, 2], [5, side - 1]])
      for (let c = 0; c < 3; c++) expect(images[((i * side + y) * side + x) * 3 + c], `image ${i} (${y},${x}) plane ${c}`).toBe(val(i, c, y, x));
}

describe('CIFAR-10 binary', () => {
  const testLabels = [3, 0, 9, 1, 5];
  const trainLabels = [[1, 2], [7]];
  const archive = writeTarGz([
    { name: 'cifar-10-batches-bin/batches.meta.txt', data: new TextEncoder().encode('airplane\n') },
    { name: 'cifar-10-batches-bin/data_batch_2.bin', data: cifarRecords(trainLabels[1], 32, (i) => [trainLabels[1][i]]) },
    { name: 'cifar-10-batches-bin/test_batch.bin', data: cifarRecords(testLabels, 32, (i) => [testLabels[i]]) },
    { name: 'cifar-10-batches-bin/data_batch_1.bin', data: cifarRecords(trainLabels[0], 32, (i) => [trainLabels[0][i]]) },
  ]);

  it('reads the test split: labels, and planes R, G, B of rows of 32 to interleaved pixels', () => {
    const t = readDatasetArchive(archive, 'cifar10', 'test', 'c10.tar.gz');
    expect([t.n, t.width, t.height, t.classCount]).toEqual([5, 32, 32, 10]);
    expect([...t.labels]).toEqual(testLabels);
    expectPixels(t.images, 5, 32);
  });

  it('reads the train split in batch order (data_batch_1 before _2, whatever the tar order)', () => {
    expect([...readDatasetArchive(archive, 'cifar10', 'train', 'c10.tar.gz').labels]).toEqual([1, 2, 7]);
  });

  it('gives the same result when fed 777 bytes at a time', () => {
    const r = new DatasetArchiveReader('cifar10', 'test', 'c10.tar.gz');
    for (let o = 0; o < archive.length; o += 777) r.push(archive.subarray(o, o + 777), o + 777 >= archive.length);
    expect([...r.finish().labels]).toEqual(testLabels);
  });

  it('a truncated archive is an error naming the file', () => {
    expect(() => readDatasetArchive(archive.subarray(0, Math.floor(archive.length / 2)), 'cifar10', 'test', 'c10.tar.gz')).toThrow(/c10\.tar\.gz: .*(truncated|gzip)/);
  });

  it('a batch of the wrong size is refused with its name and the record size', () => {
    const bad = writeTarGz([{ name: 'test_batch.bin', data: new Uint8Array(3073 * 2 + 5) }]);
    expect(() => readDatasetArchive(bad, 'cifar10', 'test', 'bad.tar.gz')).toThrow('bad.tar.gz: test_batch.bin is 6151 bytes, not a positive multiple of the 3073-byte record');
  });

  it('a label outside 0..9 is refused', () => {
    const bad = writeTarGz([{ name: 'test_batch.bin', data: cifarRecords([10], 32, () => [10]) }]);
    expect(() => readDatasetArchive(bad, 'cifar10', 'test', 'bad.tar.gz')).toThrow(/record 0 has label 10/);
  });

  it('the wrong archive, a non-gzip file and an empty file say so', () => {
    const c100 = writeTarGz([{ name: 'cifar-100-binary/test.bin', data: cifarRecords([5], 32, () => [0, 5]) }]);
    expect(() => readDatasetArchive(c100, 'cifar10', 'test', 'x.tar.gz')).toThrow(/no test split found: expected test_batch\.bin/);
    expect(() => readDatasetArchive(new TextEncoder().encode('hello, not gzip'), 'cifar10', 'test', 'x.tar.gz')).toThrow(/x\.tar\.gz: not a valid gzip stream/);
    expect(() => readDatasetArchive(new Uint8Array(0), 'cifar10', 'test', 'x.tar.gz')).toThrow('x.tar.gz: empty file');
    expect(() => readDatasetArchive(gzipSync(new Uint8Array(100).fill(65)), 'cifar10', 'test', 'x.tar.gz')).toThrow(/x\.tar\.gz: not a tar archive/);
  });
});

describe('CIFAR-100 binary', () => {
  const fine = [99, 0, 42, 17];
  const archive = writeTarGz([
    { name: 'cifar-100-binary/test.bin', data: cifarRecords(fine, 32, (i) => [fine[i] % 20, fine[i]]) },
    { name: 'cifar-100-binary/train.bin', data: cifarRecords([3], 32, () => [3, 3]) },
  ]);

  it('reads the fine labels (second byte) and the pixels after the two label bytes', () => {
    const t = readDatasetArchive(archive, 'cifar100', 'test', 'c100.tar.gz');
    expect([t.n, t.classCount]).toEqual([4, 100]);
    expect([...t.labels]).toEqual(fine);
    expectPixels(t.images, 4, 32);
    expect([...readDatasetArchive(archive, 'cifar100', 'train', 'c100.tar.gz').labels]).toEqual([3]);
  });

  it('a CIFAR-10 batch size is wrong for CIFAR-100, and a fine label of 100 is refused', () => {
    const wrong = writeTarGz([{ name: 'cifar-100-binary/test.bin', data: new Uint8Array(3073 * 2) }]);
    expect(() => readDatasetArchive(wrong, 'cifar100', 'test', 'w.tar.gz')).toThrow(/w\.tar\.gz: cifar-100-binary\/test\.bin is 6146 bytes, not a positive multiple of the 3074-byte record/);
    const label = writeTarGz([{ name: 'test.bin', data: cifarRecords([0], 32, () => [0, 100]) }]);
    expect(() => readDatasetArchive(label, 'cifar100', 'test', 'l.tar.gz')).toThrow(/fine label 100/);
  });
});

describe('STL-10 binary', () => {
  const labels = Uint8Array.from([1, 10, 4]);
  const archive = writeTarGz([
    { name: 'stl10_binary/class_names.txt', data: new TextEncoder().encode('airplane\n') },
    { name: 'stl10_binary/test_X.bin', data: stlImages(3) },
    { name: 'stl10_binary/test_y.bin', data: labels },
    // kept out of memory: not the split asked for, and its size matters to no one
    { name: 'stl10_binary/unlabeled_X.bin', data: new Uint8Array(1001) },
  ]);

  it('reads column-major 96×96 planes to row-major interleaved pixels, labels 1..10 to 0..9', () => {
    const t = readDatasetArchive(archive, 'stl10', 'test', 'stl.tar.gz');
    expect([t.n, t.width, t.height]).toEqual([3, 96, 96]);
    expect([...t.labels]).toEqual([0, 9, 3]);
    expectPixels(t.images, 3, 96);
  });

  it('labels that do not match the images, a missing half, a truncated X are errors', () => {
    const fewer = writeTarGz([
      { name: 'test_X.bin', data: stlImages(3) },
      { name: 'test_y.bin', data: labels.subarray(0, 2) },
    ]);
    expect(() => readDatasetArchive(fewer, 'stl10', 'test', 's.tar.gz')).toThrow('s.tar.gz: test_y.bin has 2 labels but test_X.bin has 3 images');
    const half = writeTarGz([{ name: 'test_X.bin', data: stlImages(1) }]);
    expect(() => readDatasetArchive(half, 'stl10', 'test', 's.tar.gz')).toThrow(/needs both test_X\.bin and test_y\.bin/);
    const cut = writeTarGz([{ name: 'test_X.bin', data: stlImages(2).subarray(0, STL_IMAGE + 100) }]);
    expect(() => readDatasetArchive(cut, 'stl10', 'test', 's.tar.gz')).toThrow(/test_X\.bin is 27748 bytes, not a positive multiple of the 27648-byte record/);
    const zero = writeTarGz([
      { name: 'test_X.bin', data: stlImages(1) },
      { name: 'test_y.bin', data: Uint8Array.from([0]) },
    ]);
    expect(() => readDatasetArchive(zero, 'stl10', 'test', 's.tar.gz')).toThrow(/label 0 of image 0 is not in 1\.\.10/);
  });
});
