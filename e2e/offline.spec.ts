/** The single service worker: cross-origin isolation on a header-less host, and the lab offline after one visit. */
import { test, expect } from './test';
import { classify, dropFiles, goldenFile, openClip, setClasses, waitIsolated, waitModelReady } from './helpers';
import { startStaticServer } from './static-server';

test('on a static host without COOP/COEP headers the service worker isolates the page', async ({ page }) => {
  const site = await startStaticServer();
  try {
    await page.goto(site.url);
    // First load: not isolated; the worker installs and the page reloads itself once.
    await waitIsolated(page);
    await expect(page.getByTestId('isolation')).toHaveClass(/ok/);
  } finally {
    await site.close();
  }
});

test('after one visit the lab works with the network off', async ({ page, context, host }) => {
  await openClip(page, host.url, { device: 'wasm' });
  await waitModelReady(page);
  await dropFiles(page, [goldenFile('chelsea.png')]);
  await setClasses(page, ['a cat', 'a dog']);
  await classify(page);
  // The service worker has precached the shell once it controls the page.
  await expect.poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.ready).active && !!navigator.serviceWorker.controller), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => page.evaluate(async () => (await caches.keys()).some((k) => k.startsWith('lab-shell-')))).toBe(true);

  await context.setOffline(true);
  host.setMode('down');
  await page.reload();
  await waitModelReady(page);
  await dropFiles(page, [goldenFile('astronaut.png')]);
  expect(await classify(page)).toBe('done');
  await expect(page.locator('[data-name="astronaut.png"]')).toHaveAttribute('data-status', 'ok');
  // Other panels open offline too (their code is precached).
  await page.goto(page.url().replace(/#.*$/, '#/hardness'));
  await expect(page.locator('main h2').first()).toBeVisible();
  // The no-download demos' data and TF.js's wasm (BatchNorm panel) come from the precache too.
  const offlineFetches = await page.evaluate(async () => {
    const shell = (await caches.keys()).filter((k) => k.startsWith('lab-shell-')).sort().pop()!;
    const urls = (await (await caches.open(shell)).keys()).map((r) => r.url);
    const wanted = urls.filter((u) => /tfjs-backend-wasm[^/]*\.wasm$|\/datasets\/|\/samples\//.test(u));
    const ok = await Promise.all(wanted.map(async (u) => (await fetch(u)).ok));
    return { wanted, ok: ok.filter(Boolean).length };
  });
  expect(offlineFetches.wanted.length).toBeGreaterThanOrEqual(8);
  expect(offlineFetches.ok).toBe(offlineFetches.wanted.length);
  await context.setOffline(false);
});
