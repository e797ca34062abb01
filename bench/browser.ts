// Drives Debian's Chromium (headless, via playwright-core) against the bench server.
import { chromium, type Browser, type Page, type CDPSession } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

export interface BenchBrowser {
  browser: Browser; page: Page; cdp: CDPSession; version: string;
  call<T = any>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  /**
   * One command in a bench page of its own (fresh context, so a fresh inference worker whose
   * ONNX Runtime WebAssembly is compiled and tiered up again): the baselines' side of a cold run,
   * as the lab's cold runs get a fresh context each (bench/lab-app.ts). The page stays open 350 ms
   * after the command so the CPU sampler sees its renderer once more.
   */
  fresh<T = any>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function openBench(url: string, extraArgs: string[] = []): Promise<BenchBrowser> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
  const open = async (p: Page) => {
    p.on('console', (m) => { if (process.env.BENCH_VERBOSE) console.error(`[page] ${m.text()}`); });
    p.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await p.goto(`${url}/index.html`);
    await p.waitForFunction(() => (window as any).benchReady === true);
  };
  const run = (p: Page, cmd: string, args: Record<string, unknown>) => p.evaluate(([c, a]) => (window as any).bench(c, a), [cmd, args] as const);
  const page = await browser.newPage();
  await open(page);
  const cdp = await page.context().newCDPSession(page);
  return {
    browser, page, cdp, version: browser.version(),
    call: (cmd, args = {}) => run(page, cmd, args),
    async fresh(cmd, args = {}) {
      const ctx = await browser.newContext();
      try {
        const p = await ctx.newPage();
        await open(p);
        const r = await run(p, cmd, args);
        await new Promise((ok) => setTimeout(ok, 350));
        return r;
      } finally {
        await ctx.close();
      }
    },
    close: () => browser.close(),
  };
}
