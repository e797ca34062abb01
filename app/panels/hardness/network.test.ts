import { describe, expect, it } from 'vitest';
import { bmp, networkDataset } from './network';
import type { RunEmbedding } from '../../workers/bnonly-protocol';

describe('BatchNorm run as a hardness dataset', () => {
  it('draws a grey image as a bottom-up 24-bit BMP with 4-byte row padding', () => {
    // 2x2 grey: top row 10, 20; bottom row 30, 40. Rows are 6 bytes + 2 padding.
    const b = bmp(Uint8Array.from([10, 20, 30, 40]), 2, 2, 1);
    expect(b.length).toBe(54 + 16);
    expect(String.fromCharCode(b[0], b[1])).toBe('BM');
    const dv = new DataView(b.buffer);
    expect([dv.getUint32(2, true), dv.getInt32(18, true), dv.getInt32(22, true), dv.getUint16(28, true)]).toEqual([70, 2, 2, 24]);
    expect(Array.from(b.subarray(54))).toEqual([30, 30, 30, 40, 40, 40, 0, 0, 10, 10, 10, 20, 20, 20, 0, 0]);
    // RGB is written as BGR
    expect(Array.from(bmp(Uint8Array.from([1, 2, 3]), 1, 1, 3).subarray(54, 57))).toEqual([3, 2, 1]);
  });

  it('keeps dataset indices, labels, logits and the network vectors; probabilities are the softmax', () => {
    const e: RunEmbedding = {
      experimentId: 'x',
      mode: 'bn',
      split: 'test',
      step: 7,
      dataset: 'fashion-mnist',
      depth: 8,
      width: 16,
      classes: ['a', 'b'],
      image: { height: 1, width: 1, channels: 1 },
      pixels: Uint8Array.from([0, 255]),
      embedding: {
        n: 2,
        dim: 2,
        classCount: 2,
        indices: Int32Array.from([4, 9]),
        features: Float32Array.from([1, 0, 0, 1]),
        logits: Float32Array.from([0, Math.log(3), 2, 2]),
        labels: Int32Array.from([1, 0]),
        classVectors: Float32Array.from([1, 0, 0, 1]),
        bias: Float32Array.from([0, 0]),
      },
    };
    const d = networkDataset(e);
    expect(d.items.map((i) => [i.item.path, i.index, i.label])).toEqual([
      ['fashion-mnist/test/b/test-00004.bmp', 4, 1],
      ['fashion-mnist/test/a/test-00009.bmp', 9, 0],
    ]);
    expect(d.items[0].probs[1]).toBeCloseTo(0.75, 6);
    expect(d.items[1].probs).toEqual([0.5, 0.5]);
    expect(d.vectors?.dim).toBe(2);
    expect(d.origin).toEqual({ dataset: 'fashion-mnist', split: 'test', run: 'x' });
    expect(d.model).toBe('ResNet-8-16 · bn · Fashion-MNIST');
  });
});
