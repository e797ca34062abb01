import { tableFromIPC, tableToIPC } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import { indexTable, readIndexPart, readIndexTable, type IndexRow } from './schema';

const row = (path: string, v: number[], extra: Partial<IndexRow> = {}): IndexRow => ({
  path,
  sha256: 'ab'.repeat(32),
  width: 3,
  height: 2,
  label: 'cats',
  model: 'org/name',
  dtype: 'fp32',
  embedding: new Float32Array(v),
  ...extra,
});

describe('index schema', () => {
  it('round-trips through Parquet (parquet-wasm) with a fixed-size float32 embedding and nullable size/label', () => {
    const rows = [row('a.png', [0.6, 0.8]), row('hello', [1, 0], { width: null, height: null, label: null })];
    const bytes = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(indexTable(rows, 2), 'stream')));
    const back = readIndexTable(tableFromIPC(pq.readParquet(bytes).intoIPCStream()), 'x.parquet');
    expect(back.dim).toBe(2);
    expect(back.path).toEqual(['a.png', 'hello']);
    expect(back.label).toEqual(['cats', null]);
    expect(Array.from(back.embeddings)).toEqual(Array.from(new Float32Array([0.6, 0.8, 1, 0])));
  });

  it('names the file and the reason for a table that is not an index', () => {
    const t = indexTable([row('a.png', [1, 0])], 2);
    expect(() => readIndexTable(t.select(['path', 'embedding']), 'odd.parquet')).toThrow(/odd\.parquet: not an embedding index \(missing columns sha256/);
    expect(() => indexTable([row('a.png', [1, 0, 0])], 2)).toThrow('a.png: embedding has 3 numbers, expected 2');
  });
});

describe('readIndexPart (the lab worker\'s lean read)', () => {
  it('gives the same rows as readIndexTable: embeddings as views, paths as bytes, labels as codes, distinct model/dtype', () => {
    const rows = [
      row('cats/a.png', [0.6, 0.8]),
      row('cats/é b.png', [1, 0]),
      row('hello', [0, 1], { width: null, height: null, label: null }),
      row('dogs/c.png', [0.8, 0.6], { label: 'dogs', dtype: 'fp16' }),
      row('cats/d.png', [0.28, 0.96]),
    ];
    const bytes = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(indexTable(rows, 2), 'stream')));
    const t = tableFromIPC(pq.readParquet(bytes).intoIPCStream());
    const want = readIndexTable(t, 'x.parquet');
    const got = readIndexPart(t, 'x.parquet');
    expect(got.rows).toBe(5);
    expect(got.dim).toBe(2);
    const flat = new Float32Array(got.embeddings.reduce((a, c) => a + c.length, 0));
    got.embeddings.reduce((at, c) => (flat.set(c, at), at + c.length), 0);
    expect(flat).toEqual(want.embeddings);
    expect(Array.from({ length: 5 }, (_, i) => got.path.get(i))).toEqual(want.path);
    expect(Array.from(got.label, (c) => (c < 0 ? null : got.labelValues[c]))).toEqual(want.label);
    expect(got.labelValues).toEqual(['cats', 'dogs']);
    expect(got.models).toEqual(['org/name']);
    expect(got.dtypes).toEqual(['fp32', 'fp16']);
    // a sliced table (non-zero chunk offsets) reads its own rows
    const part = readIndexPart(t.slice(2, 4), 'x.parquet');
    expect(Array.from(part.embeddings[0])).toEqual(Array.from(want.embeddings.subarray(4, 8)));
    expect(readIndexTable(t.slice(2, 4), 'x.parquet').embeddings).toEqual(want.embeddings.subarray(4, 8));
    expect([part.path.get(0), part.path.get(1)]).toEqual(['hello', 'dogs/c.png']);
    expect(Array.from(part.label)).toEqual([-1, 0]);
    expect(part.labelValues).toEqual(['dogs']);
    expect(() => readIndexPart(t.select(['path', 'embedding']), 'odd.parquet')).toThrow(/odd\.parquet: not an embedding index \(missing columns sha256/);
  });
});
