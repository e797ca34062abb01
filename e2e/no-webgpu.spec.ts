/** A browser without WebGPU: the lab falls back to WASM q8 and says why. (Own file: it needs its own browser.) */
import { test, expect } from './test';
import config from '../playwright.config';
import { openClip, waitModelReady } from './helpers';

const args = (config.use?.launchOptions?.args ?? []).filter((a) => !/webgpu/i.test(a));
test.use({ launchOptions: { ...config.use?.launchOptions, args: [...args, '--disable-features=WebGPU'] } });

test('without a WebGPU adapter the lab runs on WASM and says why', async ({ page, host }) => {
  await openClip(page, host.url);
  const b = await waitModelReady(page);
  expect(b).toEqual({ device: 'wasm', dtype: 'q8' });
  await expect(page.getByTestId('model-fallback')).toContainText(/WebGPU not used: .+\. Running on WASM\./);
  console.log('fallback message:', await page.getByTestId('model-fallback').innerText());
});
