import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasImageExtension, listImageFiles } from './files';

describe('listImageFiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'files-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const touch = (p: string) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), '');
  };
  ['d/b.PNG', 'd/a.jpg', 'd/notes.txt', 'd/sub/c.webp', 'd/sub/z.AVIF', 'd/a2.jpeg', 'loose.gif', 'x.txt'].forEach(touch);

  it('gives files first in the given order, then folders recursively in sorted path order', async () => {
    const got = await listImageFiles([join(root, 'd'), join(root, 'x.txt'), join(root, 'loose.gif')]);
    expect(got.map((p) => p.slice(root.length + 1))).toEqual([
      'x.txt', // named explicitly: kept, so the decoder reports it per file
      'loose.gif',
      'd/a.jpg',
      'd/a2.jpeg',
      'd/b.PNG',
      'd/sub/c.webp',
      'd/sub/z.AVIF',
    ]);
  });
  it('keeps missing paths for a per-file error', async () => {
    expect(await listImageFiles([join(root, 'missing.png')])).toEqual([join(root, 'missing.png')]);
  });
  it('matches extensions case-insensitively', () => {
    expect(['a.BMP', 'b.Jpeg', 'c.avif', 'd.tiff', 'e', 'f.png.txt'].map(hasImageExtension)).toEqual([true, true, true, false, false, false]);
  });
});
