import { describe, expect, it } from 'vitest';
import { loadFashionMnist } from '../bnonly/node-data';
import { encodeIdx, idxDataset, parseIdx } from './idx';

describe('IDX reader', () => {
  it('round-trips gzipped and plain IDX arrays', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 5);
    for (const gz of [true, false]) {
      const a = parseIdx(encodeIdx([2, 3, 4], data, gz), 'a.idx');
      expect(a.dims).toEqual([2, 3, 4]);
      expect(a.data).toEqual(data);
    }
  });

  it('rejects wrong magic, element type and sizes with the file name', () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 3, 4]), 'bad.gz')).toThrow(/bad\.gz: not an IDX file/);
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'f.idx')).toThrow(/f\.idx: IDX element type 0xd/);
    const short = encodeIdx([10], new Uint8Array(10), false).subarray(0, 12);
    expect(() => parseIdx(short, 's.idx')).toThrow(/s\.idx: IDX payload is 4 bytes, dimensions 10 need 10/);
    const im = encodeIdx([2, 2, 2], new Uint8Array(8));
    expect(() => idxDataset(im, encodeIdx([3], new Uint8Array(3)), { images: 'i', labels: 'l' })).toThrow(/l: 3 labels for 2 images/);
    expect(() => idxDataset(im, encodeIdx([2], new Uint8Array([1, 11])), { images: 'i', labels: 'l' })).toThrow(/label 11 at record 1/);
  });

  it('loads the shipped Fashion-MNIST subset: 10,000 train and 2,000 test images of the real data', () => {
    const { train, test } = loadFashionMnist();
    expect([train.n, test.n, train.height, train.width, train.channels]).toEqual([10000, 2000, 28, 28, 1]);
    // The official files start with these labels (Ankle boot, T-shirt/top, T-shirt/top, Dress, ...).
    expect([...train.labels.subarray(0, 10)]).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect([...test.labels.subarray(0, 5)]).toEqual([9, 2, 1, 1, 6]);
    const mean = train.images.reduce((s, v) => s + v, 0) / train.images.length / 255;
    expect(mean).toBeCloseTo(0.286, 2); // Fashion-MNIST's pixel mean
  });
});
