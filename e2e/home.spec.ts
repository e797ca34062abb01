/**
 * The home page's one-click demos on the bundled sample data: the hardness demo (no download) ranks
 * 500 Fashion-MNIST images by AVH, checked against AVH computed here from the bundled features; the
 * CLIP and segmentation demos run the sample photos through the model chosen in the panel (here the
 * tiny fixtures from the local model host); the BatchNorm demo starts a bundled Fashion-MNIST run.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from './test';
import { collectConsole, TINY_CLIP } from './helpers';

const sample = JSON.parse(readFileSync('public/samples/fashion-mnist-hardness.json', 'utf8')) as {
  classes: string[];
  dim: number;
  count: number;
  labels: number[];
  features: string;
  classVectors: string;
};
const f32 = (b64: string) => {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

/** AVH of each bundled image (float64): angle to its class vector over the sum of its angles. */
function referenceAvh(): Map<string, number> {
  const z = f32(sample.features);
  const w = f32(sample.classVectors);
  const out = new Map<string, number>();
  for (let i = 0; i < sample.count; i++) {
    const angles = sample.classes.map((_, k) => {
      let s = 0;
      for (let j = 0; j < sample.dim; j++) s += z[i * sample.dim + j] * w[k * sample.dim + j];
      return Math.acos(Math.min(1, Math.max(-1, s)));
    });
    const path = `fashion-mnist/${sample.classes[sample.labels[i]]}/test-${String(i).padStart(4, '0')}.png`;
    out.set(path, angles[sample.labels[i]] / angles.reduce((a, b) => a + b, 0));
  }
  return out;
}

test('hardness demo: 500 bundled images ranked by AVH, no download', async ({ page }) => {
  const logs = collectConsole(page);
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto('./#/home');
  await page.getByTestId('demo-hardness').click();
  await expect(page.getByTestId('hard-demo-note')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('hard-data')).toContainText('500');
  const rows = page.getByTestId('hard-row');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  const got = await rows.evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name')!, avh: Number(e.getAttribute('data-avh')) })));
  const want = referenceAvh();
  let worst = 0;
  for (const r of got) worst = Math.max(worst, Math.abs(r.avh - want.get(r.name)!));
  const sorted = [...want.values()].sort((a, b) => a - b);
  console.log(`hardness demo: ${got.length} rows visible, max |AVH - reference| ${worst.toExponential(2)}, easiest ${got[0].avh.toFixed(4)} (reference ${sorted[0].toFixed(4)})`);
  expect(got.length).toBeGreaterThan(5);
  expect(worst).toBeLessThan(1e-4);
  // The ranking starts with the easiest image.
  expect(Math.abs(got[0].avh - sorted[0])).toBeLessThan(1e-4);
  // Nothing but the site itself (no model host, no Hub).
  const origin = new URL(page.url()).origin;
  expect(requested.filter((u) => !u.startsWith(origin) && !/^(data|blob):/.test(u))).toEqual([]);
  expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('CLIP and segmentation demos run the sample photos; the BatchNorm demo starts a run', async ({ page, host }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  const q = new URLSearchParams({ host: host.url, model: TINY_CLIP, segModel: 'fixtures/tiny-random-clipseg', device: 'wasm' });
  await page.goto(`./?${q}#/home`);
  await page.getByTestId('demo-clip').click();
  await expect(page).toHaveURL(/#\/clip$/);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('results-count')).toContainText('3');
  await expect(page.getByTestId('result-card')).toHaveCount(3);
  const names = await page.getByTestId('result-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort());
  expect(names).toEqual(['astronaut.png', 'chelsea.png', 'coffee.png']);

  await page.getByTestId('tab-home').click();
  await page.getByTestId('demo-segment').click();
  await expect(page).toHaveURL(/#\/segment$/);
  await expect(page.getByTestId('seg-image-info')).toHaveAttribute('data-width', '451', { timeout: 60_000 });
  const prompts = page.getByTestId('seg-prompt');
  await expect(prompts).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(prompts.nth(i)).toHaveAttribute('data-done', 'true', { timeout: 90_000 });

  await page.getByTestId('tab-home').click();
  await page.getByTestId('demo-bnonly').click();
  await expect(page).toHaveURL(/#\/bnonly$/);
  const run = page.getByTestId('bn-run').first();
  await expect(run).toHaveAttribute('data-status', /queued|loading|running/, { timeout: 30_000 });
  await expect(run).toHaveAttribute('data-status', 'running', { timeout: 120_000 });
  await page.getByTestId('bn-stop').first().click();
  await expect(run).not.toHaveAttribute('data-status', /queued|loading|running/, { timeout: 60_000 });
  expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});
