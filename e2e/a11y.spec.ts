/** axe-core on every panel, in both languages and both themes: no serious or critical violations. */
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './test';

/** Panel ids as the nav lists them (home first), so panels added later are covered too. */
async function panelIds(page: import('@playwright/test').Page): Promise<string[]> {
  await page.goto('./');
  return page.locator('nav.tabs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.replace('#/', '')));
}

for (const lang of ['en', 'fr'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`axe: every panel, ${lang}, ${theme}`, async ({ page }) => {
      await page.addInitScript(
        ([l, t]) => localStorage.setItem('lab-settings', JSON.stringify({ state: { lang: l, theme: t }, version: 0 })),
        [lang, theme],
      );
      const report: string[] = [];
      const ids = await panelIds(page);
      expect(ids.length).toBeGreaterThanOrEqual(5);
      for (const id of ids) {
        await page.goto(`./#/${id}`);
        await expect(page.locator('main h2').first()).toBeVisible();
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        const r = await new AxeBuilder({ page }).analyze();
        for (const v of r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
          report.push(`${id}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
        }
      }
      expect(report, report.join('\n')).toEqual([]);
    });
  }
}
