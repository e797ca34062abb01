import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type Theme = 'light' | 'dark';
type LangId = 'en' | 'fr';

interface SettingsState {
  lang: LangId;
  theme: Theme;
  setLang(lang: LangId): void;
  setTheme(theme: Theme): void;
}

function initialLang(): LangId {
  const nav = typeof navigator !== 'undefined' ? navigator.language : 'en';
  return nav.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function initialTheme(): Theme {
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Language and theme, remembered in localStorage ("lab-settings"). */
export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      lang: initialLang(),
      theme: initialTheme(),
      setLang: (lang) => set({ lang }),
      setTheme: (theme) => set({ theme }),
    }),
    { name: 'lab-settings', partialize: (s) => ({ lang: s.lang, theme: s.theme }) },
  ),
);
