// Drives Debian's Chromium (headless, via playwright-core) against the bench server.
import { chromium, type Browser, type Page, type CDPSession } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

export interface BenchBrowser {
  browser: Browser; page: Page; cdp: CDPSession; version: string;
  call<T = any>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function openBench(url: string, extraArgs: string[] = []): Promise<BenchBrowser> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
  const page = await browser.newPage();
  page.on('console', (m) => { if (process.env.BENCH_VERBOSE) console.error(`[page] ${m.text()}`); });
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${url}/index.html`);
  await page.waitForFunction(() => (window as any).benchReady === true);
  const cdp = await page.context().newCDPSession(page);
  return {
    browser, page, cdp, version: browser.version(),
    call: (cmd, args = {}) => page.evaluate(([c, a]) => (window as any).bench(c, a), [cmd, args] as const),
    close: () => browser.close(),
  };
}
