/**
 * Privacy and security (issue 9): the built site's Content-Security-Policy (page, workers, service
 * worker), a model URL the policy blocks gets a message saying so, hostile file names and class
 * names are shown as text, and a full session (classify, explore, hardness, segment) contacts only
 * the site and the model host, sending no image, file name or image bytes anywhere.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Request } from '@playwright/test';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, classify, collectConsole, goldenFile, openClip, setClasses, waitIsolated, waitModelReady, TINY_CLIP } from './helpers';
import { startStaticServer } from './static-server';
import { directiveSources } from '../src/runtime/csp';

/** Records CSP violations the page sees (workers report theirs to themselves, see the privacy test). */
async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}${e.sourceFile ? ` (${e.sourceFile.split('/').pop()}:${e.lineNumber}:${e.columnNumber})` : ''}`));
  });
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

test('the built site sends its Content-Security-Policy as <meta> and header; it blocks other hosts', async ({ page, host }) => {
  await watchViolations(page);
  const res = await page.goto('./#/clip');
  const header = (await res!.allHeaders())['content-security-policy'];
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBe(header);
  expect(directiveSources(meta!, 'script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  const connect = directiveSources(meta!, 'connect-src')!;
  for (const h of ["'self'", 'https://huggingface.co', 'https://*.hf.co', 'http://127.0.0.1:*']) expect(connect).toContain(h);

  // The worker scripts carry the policy too (a worker does not inherit the page's <meta>).
  const workerScript = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((n) => /worker[^/]*\.js$/.test(n)) ?? null);
  if (workerScript) expect((await page.request.get(workerScript)).headers()['content-security-policy']).toBe(header);

  // The same model host under another name (localhost) is not in connect-src: blocked, reported.
  const blocked = await page.evaluate(async (u) => fetch(u).then(() => 'fetched', (e: Error) => e.name), `http://localhost:${host.port}/fixtures/tiny-random-clip/resolve/main/config.json`);
  expect(blocked).toBe('TypeError');
  // (reported once per policy: the <meta> one and the header one)
  await expect.poll(async () => [...new Set((await violations(page)).map((v) => v.replace(/ \(.*$/, '')))]).toEqual([`connect-src http://localhost:${host.port}/fixtures/tiny-random-clip/resolve/main/config.json`]);
  // An inline script (what an injected <script> would be) does not run.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    return '__inline' in window;
  });
  expect(ran, 'the inline script ran').toBe(false);
  expect(host.requests).toEqual([]);
});

test('on a static host the service worker adds the policy to the worker scripts it serves', async ({ page }) => {
  const site = await startStaticServer();
  try {
    await page.goto(site.url);
    await waitIsolated(page);
    const { meta, workerCsp, script } = await page.evaluate(async () => {
      const script = performance.getEntriesByType('resource').map((e) => e.name).find((n) => /assets\/.*\.js$/.test(n))!;
      const r = await fetch(script);
      return { script, meta: document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content'), workerCsp: r.headers.get('content-security-policy') };
    });
    expect(script).toMatch(/\.js$/);
    expect(workerCsp).toBe(meta);
  } finally {
    await site.close();
  }
});

test('a model URL that the policy blocks gets a message saying so and how a deployer allows it', async ({ page, host }) => {
  const q = new URLSearchParams({ host: `http://localhost:${host.port}/`, model: TINY_CLIP });
  await page.goto(`./?${q}#/clip`);
  const err = page.getByTestId('model-error');
  await expect(err).toBeVisible({ timeout: 30_000 });
  await expect(err).toContainText(`http://localhost:${host.port} is blocked by this site's Content-Security-Policy`);
  await expect(err).toContainText('LAB_CONNECT_SRC="http://localhost:' + host.port + '" npm run build');
  expect(host.requests).toEqual([]);
});

const XSS_FILE = 'x"><img src=x onerror=alert(1)>.png';
const XSS_CLASSES = ['<img src=x onerror=alert(2)>', '"><script>alert(3)</script>', 'cat'];

test('hostile file names and class names are rendered as text; nothing runs', async ({ page, host }) => {
  test.setTimeout(120_000);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await watchViolations(page);
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await page.getByTestId('file-input').setInputFiles([
    { name: XSS_FILE, mimeType: 'image/png', buffer: goldenFile('chelsea.png').buffer },
    { name: '"><svg onload=alert(4)>.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<svg onload=alert(5)></svg>') },
  ]);
  await setClasses(page, XSS_CLASSES);
  expect(await classify(page)).toBe('done');

  const card = page.locator(`[data-testid="result-card"][data-name="${XSS_FILE.replace(/"/g, '\\"')}"]`);
  await expect(card).toContainText(XSS_FILE);
  // every class name is shown, as typed, in the top-k bars
  for (const c of XSS_CLASSES) await expect(card.locator(`li[data-class="${c.replace(/"/g, '\\"')}"]`)).toContainText(c);
  await expect(page.getByText('"><svg onload=alert(4)>.jpg').first()).toBeVisible();
  // nothing was parsed as markup
  expect(await page.locator('img[src="x"], img[onerror], svg[onload], script:not([src])').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(await violations(page)).toEqual([]);
});

// ----- privacy -----

const SECRET_NAMES: Record<string, [string, string][]> = {
  cat: [['chelsea.png', 'secret-holiday-0001.png'], ['coffee.png', 'secret-holiday-0002.png']],
  dog: [['astronaut.png', 'secret-holiday-0003.png'], ['photo_320x240.jpg', 'secret-holiday-0004.jpg']],
};

function privateFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'privacy-')), 'my-private-album');
  for (const [label, files] of Object.entries(SECRET_NAMES)) {
    mkdirSync(join(root, label), { recursive: true });
    for (const [src, dst] of files) copyFileSync(join(CLIP_GOLDEN_DIR, src), join(root, label, dst));
  }
  return root;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? listFiles(join(dir, n)) : [join(dir, n)]));
}

test('a full session contacts only the site and the model host, and sends no image, bytes or file name', async ({ page, context, host }) => {
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  const seen = new Map<Request, string>();
  const record = (r: Request) => seen.set(r, r.url());
  page.on('request', record);
  context.on('request', record);
  page.on('worker', (w) => logs.push(`[worker] ${w.url()}`));
  await watchViolations(page);

  const folder = privateFolder();
  const files = listFiles(folder);
  const q = new URLSearchParams({ host: host.url, model: TINY_CLIP, segModel: 'fixtures/tiny-random-clipseg', device: 'wasm', dtype: 'fp32' });
  await page.goto(`./?${q}#/clip`);
  await waitModelReady(page);
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('image-count')).toContainText('4');
  await setClasses(page, ['cat', 'dog'], 'a photo of a {}.');
  expect(await classify(page)).toBe('done');

  await page.getByTestId('tab-explore').click();
  await expect(page.getByTestId('explore-status')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await page.getByTestId('explore-query').fill('a private moment');
  await expect(page.getByTestId('search-hit')).toHaveCount(4);

  await page.getByTestId('tab-hardness').click();
  await expect(page.getByTestId('hard-row')).toHaveCount(4, { timeout: 60_000 });

  await page.getByTestId('tab-segment').click();
  await expect(page.getByTestId('seg-model-ready')).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('seg-file-input').setInputFiles(files[0]);
  await expect(page.getByTestId('seg-image-info')).toBeVisible();
  await page.getByTestId('seg-prompt-input').fill('the cat');
  await page.getByTestId('seg-prompt-input').press('Enter');
  await expect(page.locator('[data-testid="seg-prompt"][data-prompt="the cat"]')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });

  const site = new URL(page.url()).origin;
  const modelHost = new URL(host.url).origin;
  const requests = [...seen.entries()];
  expect(requests.length).toBeGreaterThan(10);
  const origins = new Set(requests.map(([, u]) => (/^(blob|data):/.test(u) ? u.split(':')[0] + ':' : new URL(u).origin)));
  console.log(`privacy: ${requests.length} requests, origins: ${[...origins].join(', ')}; model host paths: ${new Set(host.requests.map((r) => r.split(' ')[1].split('/').slice(0, 3).join('/'))).size} model(s)`);
  for (const o of origins) expect([site, modelHost, 'blob:', 'data:'], `unexpected origin ${o}`).toContain(o);
  // the model host saw model files only
  for (const r of host.requests) expect(r).toMatch(/^(GET|HEAD|OPTIONS) \/fixtures\/tiny-random-clip(seg)?\/resolve\/main\/[\w./-]+( bytes=\d+-\d*)?$/);

  // no file name, folder name or image bytes in any URL or request body
  const names = [...Object.values(SECRET_NAMES).flat().map(([, n]) => n), 'my-private-album', 'secret-holiday'];
  const needles = files.map((f) => readFileSync(f)).map((b) => b.subarray(Math.floor(b.length / 2), Math.floor(b.length / 2) + 48));
  for (const [req, url] of requests) {
    if (/^(blob|data):/.test(url)) continue;
    const body = req.postDataBuffer() ?? Buffer.alloc(0);
    for (const n of names) {
      expect(decodeURIComponent(url), url).not.toContain(n);
      expect(body.includes(n), `${url} body has ${n}`).toBe(false);
    }
    for (const b of needles) expect(body.includes(b), `${url} body has image bytes`).toBe(false);
  }
  // the lab itself never sends anything but GET (no uploads of any kind)
  expect(requests.filter(([r, u]) => !/^(blob|data):/.test(u) && !['GET', 'HEAD'].includes(r.method())).map(([r, u]) => `${r.method()} ${u}`)).toEqual([]);
  expect(await violations(page), logs.join('\n')).toEqual([]);
});
