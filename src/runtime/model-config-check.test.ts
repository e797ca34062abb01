import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelConfigProblem } from './model-config-check';

const tiny = JSON.parse(readFileSync('e2e/fixtures/tiny-random-clip/config.json', 'utf8'));

describe('modelConfigProblem', () => {
  it('accepts the real configs', () => {
    expect(modelConfigProblem(tiny)).toBeNull();
  });
  it.each([
    ['projection_dim', '16', /^config\.json: projection_dim must be a positive integer .*got "16"$/],
    ['vision_config.image_size', '224', /vision_config\.image_size must be a positive integer/],
    ['vision_config.hidden_size', [32], /vision_config\.hidden_size .*got \[32\]/],
    ['text_config.hidden_size', -1, /text_config\.hidden_size/],
    ['logit_scale_init_value', 'x', /logit_scale_init_value must be a number, got "x"/],
  ])('names %s with a wrong type', (path, value, re) => {
    const c = structuredClone(tiny);
    const keys = (path as string).split('.');
    let o = c;
    for (const k of keys.slice(0, -1)) o = o[k];
    o[keys.at(-1)!] = value;
    const p = modelConfigProblem(c);
    expect(p).toMatch(re);
    expect(p).not.toContain('\n');
  });
  it('a section that is not an object', () => {
    expect(modelConfigProblem({ ...tiny, vision_config: 3 })).toMatch(/vision_config must be an object/);
  });
});
