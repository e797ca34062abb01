import { describe, expect, it } from 'vitest';
import { downscaleRgba, thumbnailSize } from './thumbnail';

const rgb = (width: number, height: number, f: (x: number, y: number, c: number) => number) => {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = f(x, y, c);
  return { width, height, data };
};

describe('thumbnails', () => {
  it('keep the aspect, never enlarge', () => {
    expect(thumbnailSize(480, 360, 112)).toEqual({ width: 112, height: 84 });
    expect(thumbnailSize(360, 4000, 112)).toEqual({ width: 10, height: 112 });
    expect(thumbnailSize(50, 20, 112)).toEqual({ width: 50, height: 20 });
    expect(thumbnailSize(5000, 1, 112)).toEqual({ width: 112, height: 1 });
  });

  it('average each cell of the source (box filter), opaque', () => {
    // 4×2 → 2×1: cells are the left and right 2×2 squares
    const img = rgb(4, 2, (x, y, c) => (x < 2 ? [10, 20, 30][c] + y * 2 : 200 + x + c));
    const out = downscaleRgba(img, 2, 1);
    expect(Array.from(out)).toEqual([11, 21, 31, 255, Math.round(202.5), Math.round(203.5), Math.round(204.5), 255]);
  });

  it('give back the image unchanged at its own size, and handle uneven cells', () => {
    const img = rgb(7, 5, (x, y, c) => (x * 31 + y * 17 + c * 5) % 256);
    const same = downscaleRgba(img, 7, 5);
    for (let i = 0; i < 35; i++) for (let c = 0; c < 3; c++) expect(same[i * 4 + c]).toBe(img.data[i * 3 + c]);
    // 7×5 → 3×2 by hand: columns [0,2) [2,4) [4,7), rows [0,2) [2,5)
    const out = downscaleRgba(img, 3, 2);
    const cols = [[0, 2], [2, 4], [4, 7]];
    const rows = [[0, 2], [2, 5]];
    rows.forEach(([y0, y1], ty) => cols.forEach(([x0, x1], tx) => {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += img.data[(y * 7 + x) * 3 + c];
        expect(out[(ty * 3 + tx) * 4 + c]).toBe(Math.round(s / ((y1 - y0) * (x1 - x0))));
      }
    }));
  });
});
