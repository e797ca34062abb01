import { describe, expect, it } from 'vitest';
import { indexUrl, manifestParts } from './url';

describe('index URL', () => {
  it('takes a .parquet file, a manifest, or a folder (with or without its slash)', () => {
    expect(indexUrl('http://h:1/idx/part-00000-00000.parquet')).toEqual({ kind: 'parquet', url: 'http://h:1/idx/part-00000-00000.parquet', name: 'part-00000-00000.parquet' });
    expect(indexUrl('http://h:1/idx/_manifest.json')).toEqual({ kind: 'manifest', url: 'http://h:1/idx/_manifest.json' });
    expect(indexUrl('http://h:1/idx')).toEqual({ kind: 'manifest', url: 'http://h:1/idx/_manifest.json' });
    expect(indexUrl(' http://h:1/idx/ ')).toEqual({ kind: 'manifest', url: 'http://h:1/idx/_manifest.json' });
    expect(indexUrl('idx/', 'https://models.example.org/lab/')).toEqual({ kind: 'manifest', url: 'https://models.example.org/lab/idx/_manifest.json' });
    expect(() => indexUrl('file:///tmp/x.parquet')).toThrow('expected an http(s) URL');
  });

  it('resolves the parts a manifest lists next to it, and refuses anything but plain part names', () => {
    expect(manifestParts('http://h:1/idx/_manifest.json', { parts: ['part-00000-00000.parquet', 'part-00001-00000.parquet'] })).toEqual([
      { url: 'http://h:1/idx/part-00000-00000.parquet', name: 'part-00000-00000.parquet' },
      { url: 'http://h:1/idx/part-00001-00000.parquet', name: 'part-00001-00000.parquet' },
    ]);
    expect(() => manifestParts('m', { parts: ['../secret.parquet'] })).toThrow('not a plain .parquet file name');
    expect(() => manifestParts('m', { rows: 3 })).toThrow('not an index manifest');
  });
});
