import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyOrientation, readExifOrientation, withOrientationCleared } from './exif';

// 3x2 image whose R channel numbers the pixels:  a b c / d e f  (1..6)
const img = { width: 3, height: 2, data: new Uint8Array([1, 2, 3, 4, 5, 6].flatMap((v) => [v, 0, 0])) };
const reds = (o: number) => {
  const r = applyOrientation(img, o);
  const rows: number[][] = [];
  for (let y = 0; y < r.height; y++) rows.push(Array.from({ length: r.width }, (_, x) => r.data[(y * r.width + x) * 3]));
  return rows;
};

describe('applyOrientation (PIL exif_transpose)', () => {
  it.each([
    [1, [[1, 2, 3], [4, 5, 6]]],
    [2, [[3, 2, 1], [6, 5, 4]]], // FLIP_LEFT_RIGHT
    [3, [[6, 5, 4], [3, 2, 1]]], // ROTATE_180
    [4, [[4, 5, 6], [1, 2, 3]]], // FLIP_TOP_BOTTOM
    [5, [[1, 4], [2, 5], [3, 6]]], // TRANSPOSE
    [6, [[4, 1], [5, 2], [6, 3]]], // ROTATE_270 (clockwise)
    [7, [[6, 3], [5, 2], [4, 1]]], // TRANSVERSE
    [8, [[3, 6], [2, 5], [1, 4]]], // ROTATE_90 (counter-clockwise)
  ])('orientation %i', (o, expected) => expect(reds(o)).toEqual(expected));
});

describe('EXIF orientation tag', () => {
  const dir = 'src/data/testdata/pil-reference';
  it('is read from JPEG APP1 (big-endian TIFF) and PNG eXIf', () => {
    expect(readExifOrientation(readFileSync('e2e/fixtures/preprocess-golden/exif_orientation3_360x240.jpg'), 'jpeg')).toBe(3);
    expect(readExifOrientation(readFileSync('e2e/fixtures/preprocess-golden/exif_orientation8_300x200.jpg'), 'jpeg')).toBe(8);
    for (let o = 1; o <= 8; o++) expect(readExifOrientation(readFileSync(`${dir}/exif${o}.jpg`), 'jpeg')).toBe(o);
    expect(readExifOrientation(readFileSync(`${dir}/exif6.png`), 'png')).toBe(6);
    expect(readExifOrientation(readFileSync('e2e/fixtures/tiny-random-clip/golden/photo_320x240.jpg'), 'jpeg')).toBe(1);
  });
  it('can be cleared to 1 in a copy for platform decoders', () => {
    const orig = readFileSync(`${dir}/exif6.jpg`);
    const cleared = withOrientationCleared(orig, 'jpeg');
    expect(readExifOrientation(cleared, 'jpeg')).toBe(1);
    expect(readExifOrientation(orig, 'jpeg')).toBe(6);
    expect(cleared.length).toBe(orig.length);
  });
});
