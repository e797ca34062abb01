import { describe, expect, it } from 'vitest';
import { buildFolderDataset } from './folder';

const file = (path: string, text = 'x') => ({ path, read: async () => new TextEncoder().encode(text) });

describe('class/image folder trees', () => {
  it('labels by parent folder (sorted classes, underscores as spaces); stray images are named errors', async () => {
    const d = await buildFolderDataset([file('golden_retriever/b.png'), file('cat/a.jpg'), file('cat/notes.txt'), file('loose.png')]);
    expect(d.classes).toEqual(['cat', 'golden retriever']);
    expect(d.items.map((i) => [i.name, i.label])).toEqual([
      ['cat/a.jpg', 0],
      ['golden_retriever/b.png', 1],
    ]);
    expect(d.errors).toEqual([{ image: 'loose.png', error: 'no class: the image is not inside a class folder' }]);
  });

  it('a synset list fixes the order (and names); LOC_val_solution.csv labels a flat folder', async () => {
    const synsets = 'n01440764 tench, Tinca tinca\nn01443537 goldfish, Carassius auratus\n';
    const csv = 'ImageId,PredictionString\nILSVRC2012_val_00000001,n01443537 1 2 3 4\nILSVRC2012_val_00000002,n01440764 1 2 3 4\n';
    const d = await buildFolderDataset([
      file('LOC_synset_mapping.txt', synsets),
      file('LOC_val_solution.csv', csv),
      file('val/ILSVRC2012_val_00000001.JPEG'),
      file('val/ILSVRC2012_val_00000002.JPEG'),
      file('n01443537/x.png'),
      file('n09999999/y.png'),
    ]);
    expect(d.classes).toEqual(['tench', 'goldfish']);
    expect(d.items.map((i) => [i.name, i.label])).toEqual([
      ['n01443537/x.png', 1],
      ['val/ILSVRC2012_val_00000001.JPEG', 1],
      ['val/ILSVRC2012_val_00000002.JPEG', 0],
    ]);
    expect(d.errors).toEqual([{ image: 'n09999999/y.png', error: 'class "n09999999" is not in LOC_synset_mapping.txt' }]);
    // with as many synsets as CLIP's ImageNet names, CLIP's names are used
    const named = await buildFolderDataset([file('synsets.txt', synsets), file('n01440764/a.png')], ['tench (CLIP)', 'goldfish (CLIP)']);
    expect(named.classes).toEqual(['tench (CLIP)', 'goldfish (CLIP)']);
  });
});

describe('splits and zips of folder trees', () => {
  it('train/ and test/ (or val/) under one root are the splits; mapping files beside them serve both', async () => {
    const { splitFolderFiles } = await import('./folder');
    const files = ['ds/train/cat/a.png', 'ds/val/cat/b.png', 'ds/synsets.txt'].map((path) => ({ path }));
    expect(splitFolderFiles(files, 'train')!.map((f) => f.path)).toEqual(['cat/a.png', 'synsets.txt']);
    expect(splitFolderFiles(files, 'test')!.map((f) => f.path)).toEqual(['cat/b.png', 'synsets.txt']);
    const flat = ['cat/a.png', 'dog/b.png'].map((path) => ({ path }));
    expect(splitFolderFiles(flat, 'test')!.map((f) => f.path)).toEqual(['cat/a.png', 'dog/b.png']);
    expect(splitFolderFiles(flat, 'train')).toBeNull();
  });

  it('a zip becomes folder files (macOS metadata left out); a broken zip names the file', async () => {
    const { zipSync } = await import('fflate');
    const { zipFolderFiles } = await import('./zip');
    const zip = zipSync({ 'set/cat/a.png': new Uint8Array([1]), '__MACOSX/set/._a.png': new Uint8Array([2]), 'set/.DS_Store': new Uint8Array([3]) });
    const files = zipFolderFiles(zip, 'set.zip');
    expect(files.map((f) => f.path)).toEqual(['set/cat/a.png']);
    expect([...(await files[0].read())]).toEqual([1]);
    expect(() => zipFolderFiles(new Uint8Array([1, 2, 3]), 'bad.zip')).toThrow(/bad\.zip: not a readable zip archive/);
  });
});
