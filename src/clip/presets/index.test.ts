import { describe, expect, it } from 'vitest';
import { ENSEMBLE_NAMES, ENSEMBLE_PRESETS, isEnsembleName, loadEnsemble } from './index';

describe('ensemble presets table', () => {
  it('states the class and template counts its JSON files hold', async () => {
    for (const p of ENSEMBLE_PRESETS) {
      const set = await p.load();
      expect([p.name, set.classes.length, set.templates.length]).toEqual([p.name, p.classes, p.templates]);
    }
  });

  it('names each preset once and recognises only those names', async () => {
    expect(ENSEMBLE_NAMES).toEqual(['cifar10', 'cifar100', 'imagenet']);
    expect(isEnsembleName('cifar100')).toBe(true);
    expect(isEnsembleName('custom')).toBe(false);
    expect((await loadEnsemble('cifar10')).classes[0]).toBe('airplane');
  });
});
