import { describe, expect, it } from 'vitest';
import { staleReasons } from './staleness';

const r = { model: 'org/m', device: 'wasm', dtype: 'q8', classes: ['cat', 'dog'], templates: ['a photo of {}.'] };
const model = { label: 'org/m', device: 'wasm', dtype: 'q8' };

describe('staleReasons', () => {
  it('is empty when nothing changed', () => {
    expect(staleReasons(r, { model, classes: ['cat', 'dog'], templates: ['a photo of {}.'] })).toEqual([]);
  });
  it('names each change: model, backend, dtype, classes, templates', () => {
    expect(staleReasons(r, { model: { label: 'org/n', device: 'webgpu', dtype: 'fp16' }, classes: ['cat'], templates: ['{}'] })).toEqual(['model', 'backend', 'dtype', 'classes', 'templates']);
    expect(staleReasons(r, { model: { ...model, device: 'webgpu' }, classes: r.classes, templates: r.templates })).toEqual(['backend']);
  });
  it('does not call results stale only because no model is loaded yet (after a reload)', () => {
    expect(staleReasons(r, { model: null, classes: r.classes, templates: r.templates })).toEqual([]);
  });
});
