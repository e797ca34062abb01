/** `test` with a model host (one per Playwright worker), reset to "up" before each test. */
import { test as base } from '@playwright/test';
import { startModelHost, type ModelHost } from './model-host';

export const test = base.extend<{ host: ModelHost }, { hostServer: ModelHost }>({
  hostServer: [
    async ({}, use) => {
      const h = await startModelHost();
      await use(h);
      await h.close();
    },
    { scope: 'worker' },
  ],
  host: async ({ hostServer }, use) => {
    hostServer.setMode('up');
    hostServer.requests.length = 0;
    await use(hostServer);
    hostServer.setMode('up');
  },
});
export { expect } from '@playwright/test';
