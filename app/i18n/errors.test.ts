import { describe, expect, it } from 'vitest';
import { translateError } from './errors';
import { en } from './en';
import { fr } from './fr';
import { languages } from './index';

const SAMPLES = [
  'empty file (0 bytes)',
  'not an image: this file contains text',
  'unsupported format: HEIC/HEIF (browsers cannot decode it; convert to JPEG or PNG)',
  'corrupt or truncated JPEG (no end-of-image marker after the image data)',
  'the file is no longer available and its embedding is not cached: drop it again',
  'photo.jpg: could not read the file (NotReadableError)',
  'the model failed (out of memory)',
  'cannot load model http://127.0.0.1:9/fixtures/tiny-random-clip: could not download config.json from http://127.0.0.1:9 after 4 tries: Failed to fetch (ECONNREFUSED; offline? give a model folder instead)',
  'no model loaded',
];

describe('translateError', () => {
  it('leaves English text as the core wrote it', () => {
    for (const s of SAMPLES) expect(translateError(s, en)).toBe(s);
  });

  it('puts every known reason in French, keeping names and unknown details', () => {
    const out = SAMPLES.map((s) => translateError(s, fr));
    expect(out[0]).toBe('fichier vide (0 octet)');
    expect(out[3]).toBe('JPEG corrompu ou tronqué (no end-of-image marker after the image data)');
    expect(out[5]).toBe('photo.jpg: lecture du fichier impossible (NotReadableError)');
    expect(out[7]).toBe(
      'impossible de charger le modèle http://127.0.0.1:9/fixtures/tiny-random-clip : impossible de télécharger config.json depuis http://127.0.0.1:9 après 4 essais : Failed to fetch (ECONNREFUSED; hors ligne? donnez plutôt un dossier de modèle)',
    );
    // no English reason of the catalogue is left
    for (const o of out) for (const e of Object.values(en.core)) if (!e.includes('{')) expect(o).not.toContain(e);
  });

  it('leaves unknown messages alone', () => {
    expect(translateError('Session already started', fr)).toBe('Session already started');
  });

  it('every language has every key (one file per language)', () => {
    const keys = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [p + k] : keys(v as object, `${p}${k}.`)));
    const want = keys(en).sort();
    for (const [id, l] of Object.entries(languages)) expect(keys(l).sort(), id).toEqual(want);
  });
});
