import { describe, expect, it } from 'vitest';
import { humanScoresFromArray, parseNpy } from './npy';

/** Hand-built .npy bytes: magic, version, header length, the dict padded with spaces to 64 bytes, data. */
function npy(descr: string, shape: string, data: ArrayBuffer, opts: { major?: number; fortran?: boolean } = {}): Uint8Array {
  const major = opts.major ?? 1;
  const pre = major === 1 ? 10 : 12;
  let header = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, header.length, true);
  else dv.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), pre);
  out.set(new Uint8Array(data), total);
  return out;
}

describe('parseNpy', () => {
  it('reads v1 float32 [N], v2 float64 [N, K] and v3 int64 exactly', () => {
    const a = parseNpy(npy('<f4', '(3,)', new Float32Array([0.25, 1, -2.5]).buffer), 'a.npy');
    expect(a.shape).toEqual([3]);
    expect(Array.from(a.data)).toEqual([0.25, 1, -2.5]);
    const b = parseNpy(npy('<f8', '(2, 3)', new Float64Array([0.1, 0.2, 0.7, 0.6, 0.3, 0.1]).buffer, { major: 2 }), 'b.npy');
    expect(b.shape).toEqual([2, 3]);
    expect(Array.from(b.data)).toEqual([0.1, 0.2, 0.7, 0.6, 0.3, 0.1]);
    const c = parseNpy(npy('<i8', '(2,)', new BigInt64Array([5n, -7n]).buffer, { major: 3 }), 'c.npy');
    expect(Array.from(c.data)).toEqual([5, -7]);
    const d = parseNpy(npy('|u1', '(2,)', new Uint8Array([200, 3]).buffer), 'd.npy');
    expect(Array.from(d.data)).toEqual([200, 3]);
    const e = parseNpy(npy('<i4', '(2,)', new Int32Array([-1, 40000]).buffer), 'e.npy');
    expect(Array.from(e.data)).toEqual([-1, 40000]);
  });

  it('rejects bad files with the file name and the reason', () => {
    expect(() => parseNpy(new TextEncoder().encode('name,score\na,1\n'), 'scores.csv')).toThrow('scores.csv: not a NumPy .npy file');
    expect(() => parseNpy(npy('<f4', '(2,)', new Float32Array(2).buffer, { fortran: true }), 'f.npy')).toThrow(/^f\.npy: fortran_order/);
    expect(() => parseNpy(npy('<U5', '(2,)', new ArrayBuffer(40)), 's.npy')).toThrow("s.npy: unsupported dtype '<U5'");
    expect(() => parseNpy(npy('>f8', '(1,)', new ArrayBuffer(8)), 'be.npy')).toThrow(/be\.npy: big-endian/);
    expect(() => parseNpy(npy('<f2', '(1,)', new ArrayBuffer(2)), 'h.npy')).toThrow("h.npy: unsupported dtype '<f2'");
    expect(() => parseNpy(npy('<f8', '(4,)', new Float64Array(3).buffer), 't.npy')).toThrow('t.npy: truncated data: 4 values of 8 bytes need 32 bytes, 24 present');
    const v9 = npy('<f4', '(1,)', new ArrayBuffer(4));
    v9[6] = 9;
    expect(() => parseNpy(v9, 'v9.npy')).toThrow('v9.npy: unsupported .npy format version 9.0');
  });
});

describe('humanScoresFromArray', () => {
  it('takes [N] as per-image scores and [N, K] as the probability of the given label', () => {
    const flat = parseNpy(npy('<f4', '(3,)', new Float32Array([0.5, 0.25, 1]).buffer), 'h.npy');
    expect(Array.from(humanScoresFromArray(flat, [0, 1, 2], 'h.npy'))).toEqual([0.5, 0.25, 1]);
    // CIFAR-10H style: rows are annotators' class shares; image 0's label 2 -> 0.7, image 1's label 0 -> 0.6
    const soft = parseNpy(npy('<f8', '(3, 3)', new Float64Array([0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 0, 1, 0]).buffer), 'soft.npy');
    const s = humanScoresFromArray(soft, [2, 0, -1], 'soft.npy');
    expect([s[0], s[1]]).toEqual([0.7, 0.6]);
    expect(s[2]).toBeNaN();
    expect(() => humanScoresFromArray(flat, [0, 1], 'h.npy')).toThrow('h.npy: 3 scores for 2 images');
    expect(() => humanScoresFromArray(soft, [0, 1], 'soft.npy')).toThrow('soft.npy: 3 rows of soft labels for 2 images');
    expect(() => humanScoresFromArray(soft, [0, 5, 1], 'soft.npy')).toThrow('soft.npy: image 1 has label 5 but the soft labels have 3 classes');
    const cube = parseNpy(npy('<f4', '(1, 1, 1)', new Float32Array(1).buffer), 'cube.npy');
    expect(() => humanScoresFromArray(cube, [0], 'cube.npy')).toThrow('cube.npy: shape (1, 1, 1)');
  });
});
