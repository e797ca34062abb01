import { describe, expect, it } from 'vitest';
import { summarize, toCsv, toJson } from './results-model';
import type { ResultSet } from '../../stores/classify';
import type { ImageItem } from '../../stores/images';

const items: ImageItem[] = [
  { id: 'a', path: 'cats/a.png', name: 'a.png', label: 'cat', size: 1 },
  { id: 'b', path: 'b.png', name: 'b.png', size: 1 },
];
const results: ResultSet = {
  classes: ['cat', 'dog, big', 'owl'],
  templates: ['a photo of {}.'],
  model: 'fixtures/tiny-random-clip',
  device: 'wasm',
  dtype: 'q8',
  finishedAt: 0,
  restored: false,
  byId: {
    a: { id: 'a', ok: true, hash: 'h1', cached: false, probs: [0.7, 0.2, 0.1], logits: [12.5, 11.25, 10.5] },
    b: { id: 'b', ok: false, error: 'empty file (0 bytes)' },
  },
};

describe('CSV export', () => {
  const csv = toCsv(summarize(items, results).rows, results, 2);
  const lines = csv.trimEnd().split('\n');

  it('heads the file with the model, backend, dtype, classes and templates that made it', () => {
    expect(lines.slice(0, 6)).toEqual([
      '# model: fixtures/tiny-random-clip',
      '# backend: wasm',
      '# dtype: q8',
      '# scoring: softmax',
      '# classes: ["cat","dog, big","owl"]',
      '# templates: ["a photo of {}."]',
    ]);
  });
  it('has probabilities, logits and the top-k per image', () => {
    expect(lines[6]).toBe('image,label,predicted,confidence,error,p(cat),"p(dog, big)",p(owl),logit(cat),"logit(dog, big)",logit(owl),top1,top1_p,top2,top2_p');
    expect(lines[7]).toBe('cats/a.png,cat,cat,0.7,,0.7,0.2,0.1,12.5,11.25,10.5,cat,0.7,"dog, big",0.2');
    expect(lines[8]).toBe('b.png,,,,empty file (0 bytes),,,,,,,,,,');
  });
  it('matches the JSON export on model, backend and dtype', () => {
    const j = JSON.parse(toJson(summarize(items, results).rows, results));
    expect([j.model, j.device, j.dtype]).toEqual(['fixtures/tiny-random-clip', 'wasm', 'q8']);
  });
});
