import { describe, expect, it } from 'vitest';
import { errorsName, parseShard, selectShard, shardRange } from './shard';

describe('--shard i/n', () => {
  it('parses i/n and refuses the rest with a reason', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard('3/3')).toHaveProperty('error', expect.stringContaining('below n'));
    expect(parseShard('0/0')).toHaveProperty('error', expect.stringContaining('at least 1'));
    expect(parseShard('a/b')).toHaveProperty('error', expect.stringContaining('expected i/n'));
  });

  it('covers every input exactly once, balanced to one, whatever the input order', () => {
    for (const total of [0, 1, 7, 100, 1001]) {
      for (const n of [1, 2, 3, 8]) {
        const inputs = Array.from({ length: total }, (_, i) => `f${(i * 7919) % 1009}-${i}`);
        const shuffled = [...inputs].reverse();
        const parts = Array.from({ length: n }, (_, i) => selectShard(i % 2 ? inputs : shuffled, { index: i, count: n }));
        const all = parts.flat();
        expect(all.length).toBe(total);
        expect(new Set(all).size).toBe(total);
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
    expect(shardRange(10, { index: 2, count: 3 })).toEqual([6, 10]);
  });

  it('names the error log _errors.jsonl without --shard, one per shard with it', () => {
    expect(errorsName(null)).toBe('_errors.jsonl');
    expect(errorsName(0)).toBe('_errors-00000.jsonl');
    expect(errorsName(12)).toBe('_errors-00012.jsonl');
  });
});
