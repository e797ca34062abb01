import { en, type Messages } from './en';
import { fr } from './fr';
import { useSettings } from '../stores/settings';

/** Adding a language: one file shaped like en.ts, and one line here. */
export const languages = { en, fr } satisfies Record<string, Messages>;
export type Lang = keyof typeof languages;
export type { Messages };

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && x in languages;
}

/** The current language's messages. */
export function useMessages(): Messages {
  return languages[useSettings((s) => s.lang)];
}

/** Fills `{name}` placeholders. Values are rendered as text by React, never as HTML. */
export function fmt(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Locale-aware number formatting for the current language. */
export function useFormat() {
  const m = useMessages();
  const locale = m.meta.locale;
  return {
    locale,
    num: (x: number, digits = 0) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x),
    pct: (x: number, digits = 1) =>
      new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x),
    bytes: (n: number) => formatBytes(n, locale),
  };
}

export function formatBytes(n: number, locale = 'en'): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(n)} ${units[i]}`;
}
