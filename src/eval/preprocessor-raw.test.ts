import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPreprocessorConfig } from '../clip/preprocess-config';
import { rawPreprocessorConfig } from './preprocessor-raw';

const fixture = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../e2e/fixtures/${name}/preprocessor_config.json`, import.meta.url)), 'utf8')) as unknown;

describe('a loaded preprocessor config back to JSON', () => {
  it('round-trips the CLIP and SigLIP fixtures and an exact-size config', () => {
    for (const raw of [fixture('tiny-random-clip'), fixture('tiny-random-siglip'), { image_processor_type: 'CLIPImageProcessor', size: { height: 50, width: 60 }, crop_size: 40, resample: 2 }]) {
      const c = loadPreprocessorConfig(raw);
      expect(loadPreprocessorConfig(rawPreprocessorConfig(c))).toEqual(c);
    }
  });
});
