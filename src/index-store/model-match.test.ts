import { describe, expect, it } from 'vitest';
import { indexMismatch, sameModel } from './model-match';

describe('index model check', () => {
  it('matches a folder, a Hub id and a Hub-layout URL of the same model', () => {
    expect(sameModel('e2e/fixtures/tiny-random-clip', 'fixtures/tiny-random-clip')).toBe(true);
    expect(sameModel('http://127.0.0.1:8765/fixtures/tiny-random-clip', 'fixtures/tiny-random-clip')).toBe(true);
    expect(sameModel('/models/tiny-random-clip/', 'tiny-random-clip')).toBe(true);
    expect(sameModel('Xenova/clip-vit-base-patch32', 'Xenova/clip-vit-base-patch16')).toBe(false);
    expect(sameModel('e2e/fixtures/tiny-random-clip', 'fixtures/tiny-random-siglip')).toBe(false);
  });

  it('gives the reason for a model or dimension mismatch', () => {
    expect(indexMismatch({ models: ['a/b'], dim: 512 }, { label: 'a/b', dim: 512 })).toBeNull();
    expect(indexMismatch({ models: ['a/b', 'a/c'], dim: 512 }, { label: 'a/b', dim: 512 })).toContain('model a/c');
    expect(indexMismatch({ models: ['a/b'], dim: 768 }, { label: 'a/b', dim: 512 })).toContain('768-dimensional');
  });
});
