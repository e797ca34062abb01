/** The storage view lists the cached model with its size and deletes it. */
import { test, expect } from './test';
import { openClip, waitModelReady } from './helpers';

test('stored models: listed with sizes, deleted on request (then a reload with the host down fails with a message)', async ({ page, host }) => {
  await openClip(page, host.url, { device: 'wasm' });
  await waitModelReady(page);
  await page.getByTestId('storage').locator('summary').click();
  const row = page.getByTestId('stored-model').filter({ hasText: 'fixtures/tiny-random-clip' });
  await expect(row).toBeVisible();
  await expect(row).toContainText(/\d+(\.\d)? (kB|MB)/);
  await page.getByTestId('clear-models').click();
  await expect(page.getByTestId('storage')).toContainText('No model files stored');

  host.setMode('404');
  await page.reload();
  await expect(page.getByTestId('model-error')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('model-error')).toContainText('Could not load the model');
});
