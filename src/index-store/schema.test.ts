import { tableFromIPC, tableToIPC } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import { indexTable, readIndexTable, type IndexRow } from './schema';

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
