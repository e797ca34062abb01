/**
 * Plurals without "(s)": a catalogue string "one form|other form" is chosen by the language's own
 * plural rules (Intl.PluralRules: French counts 0 and 1 as singular, English only 1), then filled.
 */
import { fmt } from './index';

export function plural(template: string, n: number, locale: string, vars: Record<string, string | number> = {}): string {
  const [one, other = one] = template.split('|');
  const form = new Intl.PluralRules(locale).select(n) === 'one' ? one : other;
  return fmt(form, { n, ...vars });
}
