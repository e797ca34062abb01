import { describe, expect, it } from 'vitest';
import data from './reference-figures.json';
import { archOf, referenceRows } from './reference';
import { reportCsv, reportHtml, reportJson } from './report';
import type { EvalReport } from './run';

const report: EvalReport = {
  model: 'Xenova/clip-vit-base-patch32',
  dataset: 'cifar10',
  split: 'test',
  n: 4,
  top1: 0.75,
  top5: 1,
  per_class: [
    { class: 'cat', n: 2, top1: 0.5 },
    { class: 'dog, "big"', n: 2, top1: 1 },
  ],
  templates: { set: 'ensemble', list: ['a {}.'], ablation: [{ set: 'name', count: 1, top1: 0.5, top5: 1, delta: 0 }], per_template: [{ template: 'a <b>{}</b>.', top1: 0.5 }] },
  classes: ['cat', 'dog, "big"'],
  confusion: [
    [1, 1],
    [0, 2],
  ],
  errors: [{ image: 'test[3]', error: 'bad' }],
  settings: { dtype: 'q8' },
  cancelled: false,
};

describe('reference figures', () => {
  it('every row cites a listed source; model ids map to their architecture', () => {
    for (const r of data.rows) expect(Object.keys(data.sources)).toContain(r.source);
    expect(archOf('Xenova/clip-vit-base-patch32')).toBe('ViT-B/32');
    expect(archOf('openai/clip-vit-large-patch14')).toBe('ViT-L/14');
    expect(archOf('fixtures/tiny-random-clip')).toBeNull();
    const rows = referenceRows('cifar10', 'Xenova/clip-vit-base-patch32');
    expect(rows.map((r) => [r.protocol, +(100 * r.top1).toFixed(1)])).toEqual([
      ['zero-shot', 91.3],
      ['zero-shot', 89.8],
      ['linear probe', 95.1],
    ]);
    expect(rows[0].citation).toMatch(/arXiv:2103\.00020.*Table 11/);
    expect(referenceRows('stl10').every((r) => r.protocol === 'zero-shot')).toBe(true);
  });
});

describe('report export', () => {
  const ref = referenceRows('cifar10', report.model);
  it('HTML is self-contained (no script, nothing fetched) and escapes names', () => {
    const html = reportHtml(report, ref);
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    expect(html).toContain('a &#60;b&#62;{}&#60;/b&#62;.');
    expect(html).toContain('75.00');
    expect(html).toContain('Table 11');
    expect(html).toContain('test[3]');
  });
  it('CSV quotes cells with commas and quotes; JSON keeps the run and the reference', () => {
    const csv = reportCsv(report, ref);
    expect(csv).toContain('class,"dog, ""big""",100.00,,2');
    expect(csv.split('\n')[1]).toBe('overall,ensemble,75.00,100.00,4');
    const json = JSON.parse(reportJson(report, ref));
    expect(json.format).toBe('clip-lab/evaluation');
    expect(json.reference).toHaveLength(3);
  });
});
