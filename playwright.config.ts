import { defineConfig } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';

// The e2e suite drives the BUILT site (`npm run build` first) served by `vite preview`
// (COOP/COEP set there) in Debian's Chromium. WebGPU comes from SwiftShader (software).
// LAB_PREVIEW_PORT lets two suites run side by side on one machine.
export const PREVIEW_PORT = Number(process.env.LAB_PREVIEW_PORT ?? 4173);
// LAB_DIST: the build folder to serve (default dist), so side-by-side suites do not share one build.
const DIST = process.env.LAB_DIST ?? 'dist';

// The built site's Content-Security-Policy must let the page reach the e2e model host
// (127.0.0.1, any port): `npm run build:e2e` builds with LAB_CONNECT_SRC set for it.
const E2E_CONNECT_SRC = 'http://127.0.0.1:*';
const builtCsp = existsSync(`${DIST}/precache.json`) ? (JSON.parse(readFileSync(`${DIST}/precache.json`, 'utf8')) as { csp?: string }).csp : undefined;
if (builtCsp !== undefined && !builtCsp.includes(E2E_CONNECT_SRC)) {
  throw new Error(`dist/ was built without ${E2E_CONNECT_SRC} in its connect-src: build with \`npm run build:e2e\` (not \`npm run build\`) before \`playwright test\``);
}

// explore.spec.ts asserts the search ranking's time (< 50 ms), stress.spec.ts main-thread responsiveness,
// device.spec.ts times backends.
const EXCLUSIVE = ['**/stress.spec.ts', '**/device.spec.ts', '**/explore.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Two workers: most of a test's time is spent waiting (model loads, worker messages, the UI), so two
  // specs share the 2 cores well (measured: see README, Tests). Files are never split across workers.
  workers: 2,
  fullyParallel: false,
  // No retries here: a spec that needs one says so beside it with its reason (test.describe.configure:
  // only the main-thread timing test of e2e/stress.spec.ts). On CI a test that passes only on its retry
  // ("flaky") fails the run, so a retry can never hide a regression, only tell "flaky" from "failed".
  retries: 0,
  failOnFlakyTests: !!process.env.CI,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  // LAB_TEST_RESULTS: Playwright empties its output folder when a run starts, so side-by-side suites need
  // one each (keep the test-results prefix: .gitignore ignores test-results*/).
  outputDir: process.env.LAB_TEST_RESULTS ?? 'test-results',
  use: {
    baseURL: `http://localhost:${PREVIEW_PORT}/`,
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 860 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--enable-unsafe-webgpu',
        '--use-webgpu-adapter=swiftshader',
      ],
    },
  },
  projects: [
    { name: 'e2e', testIgnore: EXCLUSIVE },
    // Specs that time the page (main-thread responsiveness, backend timings) run last and alone, so
    // another spec's load cannot decide their figures.
    { name: 'exclusive', testMatch: EXCLUSIVE, workers: 1, dependencies: ['e2e'] },
  ],
  webServer: {
    command: `npx vite preview --port ${PREVIEW_PORT} --strictPort --outDir ${DIST}`,
    url: `http://localhost:${PREVIEW_PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
