import { describe, expect, it } from 'vitest';
import { ensembleRows, zeroShotMetrics } from './metrics';
import { selectIndices } from './select';
import { ablationSets, parseTemplateChoice } from './prompts';

describe('zero-shot metrics', () => {
  // 2-d unit vectors: classes at 0°, 90°, 180°, 270°, 45° (5 classes); images at chosen angles.
  const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
  const classes = Float32Array.from([0, 90, 180, 270, 45].flatMap(deg));
  const images = Float32Array.from([10, 80, 170, 260, 30, 200].flatMap(deg));
  const labels = [0, 1, 2, 3, 0, 1];

  it('top-1, top-5, per class and confusion, counted by hand', () => {
    const m = zeroShotMetrics(images, labels, classes, 2);
    // nearest classes: 10°→0, 80°→1 (90), 170°→2, 260°→3, 30°→4 (45), 200°→2 (180)
    expect([...m.predicted]).toEqual([0, 1, 2, 3, 4, 2]);
    expect(m.top1).toBeCloseTo(4 / 6, 12);
    // with 5 classes every true class is in the top 5
    expect(m.top5).toBe(1);
    expect(m.perClass).toEqual([
      { n: 2, correct: 1 },
      { n: 2, correct: 1 },
      { n: 1, correct: 1 },
      { n: 1, correct: 1 },
      { n: 0, correct: 0 },
    ]);
    expect(m.confusion[0]).toEqual([1, 0, 0, 0, 1]);
    expect(m.confusion[1]).toEqual([0, 1, 1, 0, 0]);
  });

  it('ensembling is the mean of the rows, normalised again', () => {
    const a = Float32Array.from([1, 0, 0, 1]);
    const b = Float32Array.from([0, 1, 0, 1]);
    const e = ensembleRows([a, b], 2);
    expect([...e].map((v) => +v.toFixed(6))).toEqual([+Math.SQRT1_2.toFixed(6), +Math.SQRT1_2.toFixed(6), 0, 1]);
  });
});

describe('selection and template sets', () => {
  const labels = [0, 1, 0, 1, 0, 1, 2, 2, 2, 0];
  it('--limit takes the first N in order; --sample takes N per class, seeded', () => {
    expect(selectIndices(labels, { kind: 'limit', n: 4 })).toEqual([0, 1, 2, 3]);
    expect(selectIndices(labels, { kind: 'limit', n: 99 })).toHaveLength(10);
    const s = selectIndices(labels, { kind: 'sample', perClass: 2, seed: 1 });
    expect(s).toHaveLength(6);
    expect([0, 1, 2].map((c) => s.filter((i) => labels[i] === c).length)).toEqual([2, 2, 2]);
    expect(selectIndices(labels, { kind: 'sample', perClass: 2, seed: 1 })).toEqual(s);
    const seeds = new Set(Array.from({ length: 8 }, (_, k) => selectIndices(labels, { kind: 'sample', perClass: 2, seed: k }).join()));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('parses --templates and builds the ablation sets', () => {
    expect(parseTemplateChoice('single')).toBe('single');
    expect(parseTemplateChoice('a {}.| itap of a {}. ')).toEqual({ user: ['a {}.', 'itap of a {}.'] });
    expect(ablationSets(['t1 {}', 't2 {}'], ['u {}']).map((s) => [s.set, s.templates.join('|')])).toEqual([
      ['name', '{}'],
      ['single', 'a photo of a {}.'],
      ['ensemble', 't1 {}|t2 {}'],
      ['user', 'u {}'],
    ]);
  });
});
