/**
 * Multithreaded WASM training under the site's CSP (script-src 'self' 'wasm-unsafe-eval', no blob:): TF.js's
 * pthread workers start from same-origin scripts that the build emits (scripts/vite-tfjs-wasm-threads.ts), not
 * from blob: URLs, and a run on WebAssembly trains to the end with them.
 */
import { test, expect } from './test';
import { collectConsole } from './helpers';

test('WebAssembly training runs on TF.js pthread workers loaded from the site itself', async ({ page }) => {
  test.setTimeout(180_000);
  const logs = collectConsole(page);
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('./#/bnonly');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByTestId('bn-dataset').selectOption('fashion-mnist');
  await page.getByTestId('bn-depth').selectOption('8');
  for (const m of ['full', 'bn', 'bn+output', 'output', 'random2']) await page.getByTestId(`bn-mode-${m}`).setChecked(m === 'full');
  await page.getByTestId('bn-steps').fill('4');
  await page.getByTestId('bn-batch').fill('32');
  await page.getByTestId('bn-train-size').fill('256');
  await page.getByTestId('bn-test-size').fill('128');
  await page.getByTestId('bn-backend').selectOption('wasm');
  await page.getByTestId('bn-start').click();
  const row = page.getByTestId('bn-run').first();
  await expect(row, logs.join('\n')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(row).toContainText(/WebAssembly/);
  // The run says how many threads it used: one per core (at most 4) on a cross-origin isolated page.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(row.getByTestId('bn-run-threads')).toHaveAttribute('data-threads', String(Math.min(Math.max(cores, 1), 4)));
  const origin = new URL(page.url()).origin;
  const pthreads = workers.filter((u) => /tfjs-backend-wasm-threaded-simd\.worker[^/]*\.js$/.test(u));
  expect(pthreads.length, workers.join('\n')).toBeGreaterThan(0);
  for (const u of pthreads) expect(new URL(u).origin).toBe(origin);
  expect(workers.filter((u) => u.startsWith('blob:'))).toEqual([]);
  expect(logs.filter((l) => /Content Security Policy|Refused to/i.test(l))).toEqual([]);
});
