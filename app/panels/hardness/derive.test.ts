import { CLIP_SCORING } from '../../../src/models/clip/scoring';
import { describe, expect, it } from 'vitest';
import { cleanedCsv, curriculumIndices, curriculumJson, derive } from './derive';
import type { Analysis } from '../../workers/hardness-protocol';
import type { Dataset, DataItem } from './dataset';

const P = Math.PI;
/** Four images, two classes, with angles chosen so AVH is a simple fraction (hand-computed below). */
const spec = [
  { id: 'i1', label: 0, angles: [P / 6, P / 2], probs: [0.9, 0.1] }, // AVH (1/6)/(2/3) = 0.25
  { id: 'i2', label: 1, angles: [P / 3, P / 3], probs: [0.6, 0.4] }, // AVH 0.5, predicted a
  { id: 'i3', label: -1, angles: [P / 2, P / 4], probs: [0.2, 0.8] }, // no label: predicted b, AVH (1/4)/(3/4) = 1/3
  { id: 'i4', label: 0, angles: [(2 * P) / 3, P / 6], probs: [0.05, 0.95] }, // AVH (2/3)/(5/6) = 0.8, predicted b
];
const classes = ['a', 'b'];
const items: DataItem[] = spec.map((s, i) => ({
  item: { id: s.id, path: `set/${s.id}.png`, name: `${s.id}.png`, size: 1 },
  logits: [0, 0],
  probs: s.probs,
  label: s.label,
  index: 10 + i,
}));
const data: Dataset = { key: 'k', classes, model: 'm', dtype: 'fp32', scoring: CLIP_SCORING, items, labelled: 3, origin: { dataset: 'fashion-mnist', split: 'train', run: 'r' } };
const analysis: Analysis = {
  source: 'network',
  classCount: 2,
  ids: spec.map((s) => s.id),
  angles: Float64Array.from(spec.flatMap((s) => s.angles)),
  probs: Float64Array.from(spec.flatMap((s) => s.probs)),
  missing: [],
};
const th = { minAvh: 0.3, minConfidence: 0.5 };
const none = { relabel: {}, excluded: {} };

describe('derive', () => {
  it('AVH per image for the label in force, ranked easiest first', () => {
    const d = derive(analysis, data, none, th);
    const avh = Object.fromEntries(d.rows.map((r) => [r.data.item.id, r.avh]));
    expect(avh.i1).toBeCloseTo(0.25, 14);
    expect(avh.i2).toBeCloseTo(0.5, 14);
    expect(avh.i3).toBeCloseTo(1 / 3, 14);
    expect(avh.i4).toBeCloseTo(0.8, 14);
    expect(d.ranking.map((r) => r.data.item.id)).toEqual(['i1', 'i3', 'i2', 'i4']);
    const i3 = d.rows[2];
    expect([i3.label, i3.labelSource, i3.predicted]).toEqual([1, 'predicted', 1]);
    expect(d.rows[3].margin).toBeCloseTo(0.9, 14);
  });

  it('rank correlations with confidence and margin: rho = 1 - 6*8/(4*15) = 0.2', () => {
    // AVH ranks (i1..i4) 1,3,2,4; confidence 0.9,0.6,0.8,0.95 -> ranks 3,1,2,4; d^2 = 4+4+0+0 = 8
    const d = derive(analysis, data, none, th);
    expect(d.correlations.confidence).toBeCloseTo(0.2, 12);
    // margins 0.8, 0.2, 0.6, 0.9 rank the same way
    expect(d.correlations.margin).toBeCloseTo(0.2, 12);
    // entropy ranks are the reverse of confidence's for two classes: -0.2
    expect(d.correlations.entropy).toBeCloseTo(-0.2, 12);
  });

  it('flags labelled images far from their class and confidently another, highest AVH first', () => {
    const d = derive(analysis, data, none, th);
    expect(d.suspects.map((s) => [s.row.data.item.id, s.predicted])).toEqual([
      ['i4', 1],
      ['i2', 0],
    ]);
    // the unlabelled i3 is never a suspect; a higher confidence bar keeps only i4 (0.95)
    expect(derive(analysis, data, none, { minAvh: 0.3, minConfidence: 0.9 }).suspects.map((s) => s.row.data.item.id)).toEqual(['i4']);
  });

  it('relabelling and excluding change the label, the ranking and the exports', () => {
    const d = derive(analysis, data, { relabel: { 'set/i4.png': 'b' }, excluded: { 'set/i1.png': true } }, th);
    const i4 = d.rows[3];
    // against b: (pi/6) / (2pi/3 + pi/6) = 0.2
    expect(i4.avh).toBeCloseTo(0.2, 14);
    expect(i4.labelSource).toBe('relabelled');
    expect(d.ranking.map((r) => r.data.item.id)).toEqual(['i4', 'i3', 'i2']);
    expect(d.excluded.map((r) => r.path)).toEqual(['set/i1.png']);
    expect(d.suspects.map((s) => s.row.data.item.id)).toEqual(['i2']);
    const csv = cleanedCsv(d, classes).trim().split('\n');
    expect(csv[0]).toBe('path,label,original_label,status,avh,confidence,entropy,margin,predicted');
    expect(csv[1].split(',').slice(0, 4)).toEqual(['set/i4.png', 'b', 'a', 'relabelled']);
    expect(csv).toHaveLength(4);
    expect(curriculumIndices(d)).toEqual([13, 12, 11]);
    const j = JSON.parse(curriculumJson(d, classes, 'network-last-layer', data.origin));
    expect([j.dataset, j.split, j.images[0].index, j.images[0].label]).toEqual(['fashion-mnist', 'train', 13, 'b']);
  });
});
