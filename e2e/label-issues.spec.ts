/**
 * Label-issue comparison (issue #19) on the hardness demo: the injected-noise run renders the table,
 * the PR curves and the noise matrix, with AP matching the committed Node result
 * (docs/label-issues.json, same data, seeds and code); the real-label run lists the union of the
 * methods' issues, and its relabel / exclude buttons feed the panel's fixes list.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './test';

const docs = JSON.parse(readFileSync('docs/label-issues.json', 'utf8')) as {
  sources: Record<string, { rate: number; methods: Record<string, { ap: { mean: number } }> }[]>;
};

test('label issues: injected noise table, curves and matrix; union review feeds relabel / exclude', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto('./#/hardness');
  await page.getByTestId('hard-demo').click();
  // Preparing the demo takes 12 s with the other Playwright worker busy; it passed 30 s once with the unit suite
  // running beside both workers (load ~10 on 2 cores), hence 60 s.
  await expect(page.getByTestId('hard-data')).toContainText('500', { timeout: 60_000 });
  await expect(page.getByTestId('li-run-inject')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('li-rate').selectOption('0.1');
  await page.getByTestId('li-run-inject').click();
  const rows = page.getByTestId('li-row');
  await expect(rows).toHaveCount(6, { timeout: 40_000 });
  await expect(page.getByTestId('li-curve')).toHaveCount(6);
  await expect(page.getByTestId('li-noise-matrix').locator('rect')).toHaveCount(100);
  await expect(page.getByTestId('li-source')).toContainText('5-fold');
  const want = docs.sources['cross-validation'].find((r) => r.rate === 0.1)!.methods;
  for (const m of ['confidence', 'margin', 'cl']) {
    const ap = Number(await page.locator(`[data-testid=li-row][data-method=${m}]`).getAttribute('data-ap'));
    // same data, seeds and code as the Node run; 0.01 covers the browser's float32 features and
    // WebAssembly kernels steering L-BFGS to a slightly different stop
    expect(Math.abs(ap - want[m].ap.mean)).toBeLessThan(0.01);
  }

  await page.getByTestId('li-run-real').click();
  const union = page.getByTestId('li-union-item');
  await expect(union.first()).toBeVisible({ timeout: 40_000 });
  await expect(page.getByTestId('li-agreement')).toBeVisible();
  // human scores for the first 300 demo images: every method gets a rank correlation over those 300
  const csv = join(mkdtempSync(join(tmpdir(), 'li-human-')), 'human.csv');
  writeFileSync(csv, Array.from({ length: 300 }, (_, i) => `test-${String(i).padStart(4, '0')}.png,${((i * 37) % 101) / 100}`).join('\n'));
  await page.getByTestId('li-human').setInputFiles(csv);
  await expect(page.getByTestId('li-human-result')).toContainText('(300 images)');
  await expect(page.getByTestId('li-human-result')).toContainText('avh ');

  const first = union.filter({ has: page.getByTestId('li-relabel') }).first();
  const name = await first.getAttribute('data-name');
  await first.getByTestId('li-relabel').click();
  await expect(page.locator(`[data-testid=hard-fixed-item][data-name="${name}"]`)).toHaveAttribute('data-status', 'relabelled');
  const second = union.filter({ has: page.getByTestId('li-exclude') }).first();
  const name2 = await second.getAttribute('data-name');
  await second.getByTestId('li-exclude').click();
  await expect(page.locator(`[data-testid=hard-fixed-item][data-name="${name2}"]`)).toHaveAttribute('data-status', 'excluded');
});
