/**
 * French typography over the whole French catalogue: a non-breaking space (U+00A0, or the narrow
 * U+202F) before : ; ? ! and inside « », never an ASCII space (which lets a line break leave the mark
 * alone at the start of a line), and none missing.
 */
import { describe, expect, it } from 'vitest';
import { fr } from './fr';

function strings(v: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof v === 'string') out.push([path, v]);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, path ? `${path}.${k}` : k, out);
  return out;
}

const all = strings(fr, '', []);
const NB = '[\\u00a0\\u202f]';

/** Each problem as "key: …context…", so a failure names the string to fix. */
function problems(re: RegExp): string[] {
  const out: string[] = [];
  for (const [k, s] of all) for (const m of s.matchAll(re)) out.push(`${k}: …${s.slice(Math.max(0, m.index - 15), m.index + 5)}…`);
  return out;
}

describe('French typography (app/i18n/fr.ts)', () => {
  it('has strings to check', () => {
    expect(all.length).toBeGreaterThan(300);
  });
  it('has no ASCII space before : ; ? ! » or after «', () => {
    expect(problems(/ [:;?!»]|« /g)).toEqual([]);
  });
  it('puts a non-breaking space before ; ? ! and before a : that ends a phrase (not in URLs or ratios)', () => {
    // a mark followed by a space or the end of the string is prose punctuation
    expect(problems(new RegExp(`(?<!${NB})[;?!:](?=\\s|$)`, 'g'))).toEqual([]);
  });
  it('puts a non-breaking space inside « »', () => {
    expect(problems(new RegExp(`«(?!${NB})|(?<!${NB})»`, 'g'))).toEqual([]);
  });
  it('fails on an ASCII space before a colon (the check can fail)', () => {
    expect(/ [:;?!»]|« /.test('Total : {size}')).toBe(true);
  });
});
