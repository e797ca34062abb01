import { describe, expect, it } from 'vitest';
import { sampleRows } from './sample';

describe('map sample of an index', () => {
  it('keeps every row of a small index', () => {
    expect(sampleRows(5, 10)).toEqual([0, 1, 2, 3, 4]);
  });

  it('draws max distinct rows of a large one, the same for a seed, plus the rows asked for', () => {
    const a = sampleRows(1_000_000, 2000, [999_999, 3], 7);
    expect(a.length).toBeGreaterThanOrEqual(2000);
    expect(a.length).toBeLessThanOrEqual(2002);
    expect(new Set(a).size).toBe(a.length);
    expect(a).toContain(999_999);
    expect(a).toContain(3);
    expect(a.every((r, i) => r >= 0 && r < 1_000_000 && (i === 0 || r > a[i - 1]))).toBe(true);
    expect(sampleRows(1_000_000, 2000, [999_999, 3], 7)).toEqual(a);
    expect(sampleRows(1_000_000, 2000, [], 8)).not.toEqual(sampleRows(1_000_000, 2000, [], 7));
    // spread over the whole index, not its start
    expect(a.filter((r) => r >= 500_000).length).toBeGreaterThan(800);
  });
});
