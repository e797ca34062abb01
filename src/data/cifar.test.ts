import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadCifar10 } from '../bnonly/node-data';
import { Rng } from '../math/rng';
import { CIFAR_RECORD, CifarArchiveReader, parseCifarBatch, readCifarArchive, writeCifarBatch, writeTarGz } from './cifar';
import { DatasetFormatError } from './idx';

/** n interleaved 32x32x3 images whose every byte is a known function of (record, pixel, channel). */
function images(n: number, salt: number): { images: Uint8Array; labels: Uint8Array } {
  const im = new Uint8Array(n * 3072);
  for (let i = 0; i < im.length; i++) im[i] = (i * 31 + salt * 7 + (i >> 10)) & 255;
  return { images: im, labels: Uint8Array.from({ length: n }, (_, i) => (i * 3 + salt) % 10) };
}

describe('CIFAR-10 binary reader', () => {
  it('decodes the official record layout: label byte, then R, G, B planes of 32x32', () => {
    const rec = new Uint8Array(CIFAR_RECORD);
    rec[0] = 7;
    rec[1 + 0] = 10; // R of pixel (0,0)
    rec[1 + 1024 + 33] = 20; // G of pixel (1,1)
    rec[1 + 2048 + 1023] = 30; // B of pixel (31,31)
    const { images: im, labels } = parseCifarBatch(rec, 'one.bin');
    expect(labels[0]).toBe(7);
    expect(im[0]).toBe(10);
    expect(im[33 * 3 + 1]).toBe(20);
    expect(im[1023 * 3 + 2]).toBe(30);
  });

  it('round-trips records written in the official layout through cifar-10-binary.tar.gz, streamed in small chunks', () => {
    const b1 = images(5, 1);
    const b2 = images(3, 2);
    const t = images(4, 3);
    const gz = writeTarGz([
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: new TextEncoder().encode('airplane\n') },
      { name: 'cifar-10-batches-bin/data_batch_2.bin', data: writeCifarBatch(b2.images, b2.labels) },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: writeCifarBatch(b1.images, b1.labels) },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: writeCifarBatch(t.images, t.labels) },
    ]);
    const reader = new CifarArchiveReader('cifar-10-binary.tar.gz');
    for (let o = 0; o < gz.length; o += 777) reader.push(gz.subarray(o, o + 777), o + 777 >= gz.length);
    const { train, test } = reader.finish();
    expect(train.n).toBe(8);
    expect(train.images).toEqual(new Uint8Array([...b1.images, ...b2.images])); // batches in file-name order
    expect(train.labels).toEqual(new Uint8Array([...b1.labels, ...b2.labels]));
    expect(test.images).toEqual(t.images);
    expect(test.labels).toEqual(t.labels);
    expect([train.height, train.width, train.channels]).toEqual([32, 32, 3]);
    expect(train.classes[0]).toBe('airplane');
  });

  it('reads a folder of extracted batch files (Node loader)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cifar-'));
    const b = images(2, 5);
    writeFileSync(path.join(dir, 'data_batch_1.bin'), writeCifarBatch(b.images, b.labels));
    writeFileSync(path.join(dir, 'test_batch.bin'), writeCifarBatch(b.images, b.labels));
    const { train, test } = await loadCifar10(dir);
    expect(train.images).toEqual(b.images);
    expect(test.labels).toEqual(b.labels);
    const file = path.join(dir, 'c.tar.gz');
    writeFileSync(file, writeTarGz([{ name: 'data_batch_1.bin', data: writeCifarBatch(b.images, b.labels) }]));
    expect((await loadCifar10(file)).train.labels).toEqual(b.labels);
  });

  it('rejects malformed archives and records with messages that name the file and the reason', () => {
    const good = images(2, 0);
    const rec = writeCifarBatch(good.images, good.labels);
    const rng = new Rng(9); // incompressible records, so a cut archive ends inside the batch file
    const noise = Uint8Array.from({ length: 2 * CIFAR_RECORD }, (_, i) => (i % CIFAR_RECORD === 0 ? 1 : rng.int(256)));
    const noisyArchive = writeTarGz([{ name: 'data_batch_1.bin', data: noise }]);
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('hello, not an archive'), /x\.tar\.gz: not a valid gzip stream/],
      [gzipSync(new Uint8Array(2000).fill(65)), /x\.tar\.gz: not a tar archive \(header checksum mismatch\)/],
      [writeTarGz([{ name: 'data_batch_1.bin', data: rec.subarray(0, 5000) }]), /data_batch_1\.bin is 5000 bytes, not a multiple of the 3073-byte record/],
      [writeTarGz([{ name: 'data_batch_1.bin', data: Uint8Array.from(rec, (v, i) => (i === CIFAR_RECORD ? 12 : v)) }]), /data_batch_1\.bin: record 1 has label 12/],
      [writeTarGz([{ name: 'readme.txt', data: new Uint8Array(10) }]), /no CIFAR-10 batch files/],
      [noisyArchive.subarray(0, 4000), /x\.tar\.gz: (archive is truncated|not a valid gzip)/],
      [noisyArchive.subarray(0, noisyArchive.length - 600), /x\.tar\.gz: (archive is truncated|not a valid gzip)/],
    ];
    for (const [bytes, msg] of cases) {
      let err: unknown;
      try {
        readCifarArchive(bytes, 'x.tar.gz');
      } catch (e) {
        err = e;
      }
      expect(err, String(msg)).toBeInstanceOf(DatasetFormatError);
      expect((err as Error).message).toMatch(msg);
    }
    expect(() => parseCifarBatch(new Uint8Array(3072), 'short.bin')).toThrow(/short\.bin: size 3072 is not a positive multiple/);
  });
});
