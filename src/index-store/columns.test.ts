import { vectorFromArray, Utf8, makeVector, Dictionary, Int32, makeData } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { dictionaryOf, distinctStrings, PartedColumn, Utf8Column } from './columns';

describe('index string columns', () => {
  const strings = ['cats', 'cats', null, 'dogs', 'cats', 'ünï', 'ünï', '', null, 'dogs'];

  it('codes a column against its distinct values (first appearance), nulls as -1, across chunks', () => {
    const one = vectorFromArray(strings, new Utf8());
    const two = vectorFromArray(strings.slice(0, 4), new Utf8()).concat(vectorFromArray(strings.slice(4), new Utf8()));
    for (const v of [one, two]) {
      const d = dictionaryOf(v);
      expect(d.values).toEqual(['cats', 'dogs', 'ünï', '']);
      expect(Array.from(d.codes)).toEqual([0, 0, -1, 1, 0, 2, 2, 3, -1, 1]);
      expect(distinctStrings(v)).toEqual(['cats', 'dogs', 'ünï', '']);
    }
    // a sliced chunk (non-zero offset) reads from its offset
    const sliced = one.slice(3, 7);
    expect(Array.from(dictionaryOf(sliced).codes)).toEqual([0, 1, 2, 2]);
    expect(dictionaryOf(sliced).values).toEqual(['dogs', 'cats', 'ünï']);
  });

  it('codes a dictionary-encoded column through its strings', () => {
    const dict = vectorFromArray(['a', 'b'], new Utf8());
    const v = makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length: 3, data: Int32Array.from([1, 0, 1]), dictionary: dict }));
    expect(dictionaryOf(v)).toEqual({ codes: Int32Array.from([0, 1, 0]), values: ['b', 'a'] });
  });

  it('keeps paths as UTF-8 bytes and decodes a row on demand; parts read as one', () => {
    const a = Utf8Column.fromVector(vectorFromArray(['x/é.png', 'y.png', null], new Utf8()));
    const b = Utf8Column.fromVector(vectorFromArray(['z.png'], new Utf8()).concat(vectorFromArray(['w/ü.jpg', 'v'], new Utf8()).slice(1, 2)));
    const c = Utf8Column.fromStrings(['s', null, 'ß']);
    expect([a.get(0), a.get(1), a.get(2)]).toEqual(['x/é.png', 'y.png', '']);
    expect([b.length, b.get(0), b.get(1)]).toEqual([2, 'z.png', 'v']);
    const all = new PartedColumn();
    [a, b, c].forEach((p) => all.push(p));
    expect(all.length).toBe(8);
    expect(all.toArray()).toEqual(['x/é.png', 'y.png', '', 'z.png', 'v', 's', '', 'ß']);
    expect(all.get(3)).toBe('z.png');
    expect(all.get(7)).toBe('ß');
    expect(() => all.get(8)).toThrow(/no row 8/);
  });
});
