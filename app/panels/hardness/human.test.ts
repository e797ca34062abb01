import { describe, expect, it } from 'vitest';
import { humanAgreement, loadHumanScores } from './human';
import type { HardRow } from './derive';
import type { DataItem } from './dataset';

const item = (id: string, label: number, index?: number): DataItem => ({
  item: { id, path: `set/${id}.png`, name: `${id}.png`, size: 1 },
  logits: [],
  probs: [],
  label,
  index,
});
const row = (d: DataItem, avh: number, confidence: number) => ({ data: d, path: d.item.path, avh, confidence }) as HardRow;

/** Hand-built v1 .npy bytes: magic, version, header length, the dict padded to a multiple of 64, data. */
function npy(descr: string, shape: string, data: ArrayBufferLike): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 11, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data), total);
  return out;
}

describe('human scores', () => {
  const items = [item('a', 0), item('b', 1), item('c', 0), item('d', 1)];
  const rows = [row(items[0], 0.1, 0.9), row(items[1], 0.2, 0.7), row(items[2], 0.3, 0.8), row(items[3], 0.4, 0.6)];

  it('CSV by path or file name; Spearman of AVH (-1) and confidence (0.8) with the scores', () => {
    const csv = 'set/a.png,0.9\nb.png,0.8\n"c.png",0.5\nd.png,0.1\nbroken line\nx.png,notanumber\n';
    const h = loadHumanScores(new TextEncoder().encode(csv), 'h.csv', { items });
    expect(h.skipped).toBe(2);
    const r = humanAgreement(rows, h);
    expect(r.n).toBe(4);
    // human 0.9,0.8,0.5,0.1 falls as AVH rises: rho = -1
    expect(r.avh).toBeCloseTo(-1, 12);
    // confidence ranks 4,2,3,1 vs human ranks 4,3,2,1: d^2 = 0+1+1+0 = 2, rho = 1 - 12/60 = 0.8
    expect(r.confidence).toBeCloseTo(0.8, 12);
  });

  it('NPY [N] in the images order, and [N, K] soft labels as the probability of each image label', () => {
    const flat = loadHumanScores(npy('<f4', '(4,)', new Float32Array([0.9, 0.8, 0.5, 0.1]).buffer), 'h.npy', { items });
    expect(humanAgreement(rows, flat).avh).toBeCloseTo(-1, 12);
    // labels 0,1,0,1 pick 0.75, 0.5, 0.25, 0.0 from the soft labels
    const soft = new Float64Array([0.75, 0.25, 0.5, 0.5, 0.25, 0.75, 1, 0]);
    const h = loadHumanScores(npy('<f8', '(4, 2)', soft.buffer), 'cifar10h-probs.npy', { items });
    expect(items.map((d) => h.byId.get(d.item.id))).toEqual([0.75, 0.5, 0.25, 0]);
    expect(humanAgreement(rows, h)).toMatchObject({ n: 4 });
    expect(humanAgreement(rows, h).avh).toBeCloseTo(-1, 12);
  });

  it('NPY rows follow dataset indices when images carry them (a test subset of a larger score file)', () => {
    const sub = [item('p', 0, 2), item('q', 1, 0)];
    const h = loadHumanScores(npy('<f4', '(5,)', new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5]).buffer), 'h.npy', { items: sub });
    expect([h.byId.get('p'), h.byId.get('q')].map((v) => Number(v!.toFixed(6)))).toEqual([0.3, 0.1]);
  });

  it('rejects a wrong length, a bad dtype and fortran order, naming the file', () => {
    expect(() => loadHumanScores(npy('<f4', '(3,)', new Float32Array(3).buffer), 'short.npy', { items })).toThrow(
      "short.npy: 3 rows for 4 images (the rows must follow the images' order)",
    );
    expect(() => loadHumanScores(npy('<c8', '(4,)', new Float32Array(8).buffer), 'cplx.npy', { items })).toThrow("cplx.npy: unsupported dtype '<c8'");
    const fortran = npy('<f4', '(4,)', new Float32Array(4).buffer);
    // 'False' -> 'True ' in place (same header length)
    fortran.set(new TextEncoder().encode("'fortran_order': True "), 10 + "{'descr': '<f4', ".length);
    expect(() => loadHumanScores(fortran, 'f.npy', { items })).toThrow(/^f\.npy: fortran_order/);
    expect(() => loadHumanScores(new Uint8Array([1, 2, 3]), 'x.npy', { items })).toThrow('x.npy: not a NumPy .npy file');
  });
});
