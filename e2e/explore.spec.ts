/**
 * Explore panel: text search ranked against the golden cosines, near-duplicate groups, the probe's
 * shots chart, the shift lab's severity chart and the map, on the golden images sorted into two
 * label folders. Also takes explore.png (helpers.ts `screenshot`: docs/screenshots/ under `npm run screenshots`).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, collectConsole, golden, openClip, screenshot, waitModelReady } from './helpers';

const FOLDERS: Record<string, string[]> = {
  photo: ['astronaut.png', 'chelsea.png', 'coffee.png', 'photo_320x240.jpg'],
  pattern: ['checker_300x200.png', 'gradient_640x480.png', 'gray_320x240.png', 'rgba_256x256.png', 'small_50x80.png'],
};

/** A dataset folder with one sub-folder per label, as a user would pick it. */
function labelledFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'explore-')), 'dataset');
  for (const [label, files] of Object.entries(FOLDERS)) {
    mkdirSync(join(root, label), { recursive: true });
    for (const f of files) copyFileSync(join(CLIP_GOLDEN_DIR, f), join(root, label, f));
  }
  return root;
}

function cosine(a: number[], b: number[]): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((v, i) => {
    ab += v * b[i];
    aa += v * v;
    bb += b[i] * b[i];
  });
  return ab / Math.sqrt(aa * bb);
}

const g = golden as typeof golden & { text_embeds: number[][]; image_embeds: number[][] };

/** Number of near-duplicate groups (union-find, size >= 2) of the golden image embeddings at a threshold. */
function goldenGroupCount(threshold: number): number {
  const n = g.image_embeds.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (cosine(g.image_embeds[i], g.image_embeds[j]) >= threshold) parent[find(j)] = find(i);
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1);
  return [...sizes.values()].filter((s) => s > 1).length;
}

test('the Explore panel says what to do before a model and images are loaded', async ({ page }) => {
  await page.goto('./#/explore');
  await expect(page.getByTestId('explore-empty')).toBeVisible();
  await expect(page.getByTestId('explore-empty').getByRole('link')).toHaveAttribute('href', '#/clip');
});

test('search ranks like the reference, the probe and shift charts are drawn', async ({ page, host }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  // Each ONNX Runtime instance fetches its wasm binary: one per worker that loads a model.
  const ortBinaries: string[] = [];
  page.on('request', (r) => /ort-wasm[^/]*\.wasm(\?|$)/.test(r.url()) && ortBinaries.push(r.url()));
  await page.setViewportSize({ width: 1360, height: 1000 });
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  const ortAfterClip = ortBinaries.length;
  expect(ortAfterClip, 'the CLIP worker fetched ONNX Runtime').toBeGreaterThan(0);
  // Chromium has relaxed SIMD: the workers load a build with the lab's FMA SGEMM kernel
  // (src/runtime/ort-wasm-patch.ts; `.relaxed-dot` also has its QGEMM, where the CPU has AVX-VNNI),
  // so the golden comparisons below check that kernel.
  expect(ortBinaries.every((u) => /\.relaxed(-dot)?\.wasm(\?|$)/.test(u)), ortBinaries.join('\n')).toBe(true);
  await page.getByTestId('folder-input').setInputFiles(labelledFolder());
  await expect(page.getByTestId('image-count')).toContainText('9');

  await page.getByTestId('tab-explore').click();
  await expect(page.getByTestId('explore-status')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });

  // Search: the query is embedded as typed; scores are cosines to the golden embeddings.
  const query = g.texts[0];
  await page.getByTestId('explore-query').fill(query);
  const hits = page.getByTestId('search-hit');
  await expect(hits).toHaveCount(9);
  const got = await hits.evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name')!.split('/').pop()!, score: Number(e.getAttribute('data-score')) })));
  const want = g.images.map((name, i) => ({ name, score: cosine(g.text_embeds[0], g.image_embeds[i]) })).sort((a, b) => b.score - a.score);
  let worst = 0;
  for (const h of got) worst = Math.max(worst, Math.abs(h.score - want.find((w) => w.name === h.name)!.score));
  console.log(`search "${query}": max |cosine - golden| ${worst.toExponential(2)}; order ${got.map((h) => h.name).join(', ')}`);
  // Explore embeds through the CLIP worker's model: no second ONNX Runtime, no second model copy.
  expect(ortBinaries.length, ortBinaries.join('\n')).toBe(ortAfterClip);
  expect(worst, logs.join('\n')).toBeLessThan(2e-3);
  for (let i = 1; i < got.length; i++) expect(got[i - 1].score).toBeGreaterThanOrEqual(got[i].score);
  // Where the reference scores are well apart, the order must match it.
  want.forEach((w, i) => {
    if (i > 0 && want[i - 1].score - w.score > 5e-3) expect(got.findIndex((h) => h.name === want[i - 1].name)).toBeLessThan(got.findIndex((h) => h.name === w.name));
  });
  const rankMs = Number(await page.getByTestId('search-meta').getAttribute('data-rank-ms'));
  expect(rankMs).toBeLessThan(50);

  // More like this: the image itself first, then the others by image-image cosine.
  await hits.first().getByRole('button').click();
  const first = got[0].name;
  await expect(hits.first()).toHaveAttribute('data-name', new RegExp(`${first.replace('.', '\\.')}$`));
  const second = (await hits.nth(1).getAttribute('data-name'))!.split('/').pop()!;
  const fi = g.images.indexOf(first);
  const expectSecond = g.images.filter((n) => n !== first).sort((a, b) => cosine(g.image_embeds[fi], g.image_embeds[g.images.indexOf(b)]) - cosine(g.image_embeds[fi], g.image_embeds[g.images.indexOf(a)]))[0];
  expect(second).toBe(expectSecond);

  // Near-duplicate groups at the default threshold match the golden embeddings' groups.
  const threshold = Number(await page.getByTestId('dup-threshold').inputValue());
  await page.getByTestId('find-dups').click();
  await expect(page.getByTestId('dup-groups')).toHaveAttribute('data-count', String(goldenGroupCount(threshold)));

  // Linear probe: folder names are the labels; chart with 6 shot counts and the zero-shot line.
  await expect(page.getByTestId('probe-classes')).toContainText('9');
  await page.getByTestId('train-probe').click();
  const probeChart = page.getByTestId('probe-chart');
  await expect(probeChart.locator('svg')).toBeVisible({ timeout: 30_000 });
  await expect(probeChart.locator('circle.x-point')).toHaveCount(12);
  await expect(probeChart.locator('g[data-series]')).toHaveCount(2);
  const accs = await probeChart.locator('circle.x-point').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-value'))));
  for (const a of accs) expect(a >= 0 && a <= 1).toBe(true);
  console.log('probe summary:', await page.getByTestId('probe-summary').innerText());
  await expect(page.getByTestId('head-applied')).toBeVisible();

  // The head leaves as JSON and comes back; a broken file gets a message naming it.
  const [headDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-head').click()]);
  const headJson = JSON.parse(readFileSync(await headDownload.path(), 'utf8'));
  expect(headJson).toMatchObject({ format: 'clip-lab/linear-probe', version: 1, dim: g.image_embeds[0].length, classes: ['pattern', 'photo'] });
  await page.getByTestId('head-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": 1') });
  await expect(page.getByTestId('probe-error')).toContainText('broken.json');
  await page.getByTestId('head-input').setInputFiles({ name: 'head.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(headJson)) });
  await expect(page.getByText('Head imported from head.json')).toBeVisible();
  const [png] = await Promise.all([page.waitForEvent('download'), probeChart.getByRole('button', { name: 'PNG' }).click()]);
  expect(png.suggestedFilename()).toBe('probe-accuracy-vs-shots.png');
  expect(readFileSync(await png.path()).subarray(1, 4).toString()).toBe('PNG');

  // Shift lab: two shifts at every severity; zero-shot and probe lines over severities 0-5.
  for (const s of ['gaussian-noise', 'blur', 'jpeg', 'contrast', 'pixelate', 'rotate', 'grayscale', 'color-jitter']) {
    await page.getByTestId(`shift-${s}`).setChecked(s === 'blur' || s === 'grayscale');
  }
  await page.getByTestId('run-shifts').click();
  const shiftChart = page.getByTestId('shift-chart');
  await expect(shiftChart.locator('svg')).toBeVisible({ timeout: 120_000 });
  await expect(shiftChart.locator('g[data-series]')).toHaveCount(2);
  await expect(shiftChart.locator('circle.x-point')).toHaveCount(12);
  console.log('shift summary:', await page.getByTestId('shift-summary').innerText());

  // Embedding map with the class prompts placed among the images.
  await page.getByTestId('build-map').click();
  const map = page.getByTestId('embed-map');
  await expect(map.locator('circle.x-dot')).toHaveCount(9, { timeout: 30_000 });
  await expect(map.locator('g[data-prompt]')).toHaveCount(2);
  await map.locator('circle.x-dot').first().hover();
  await expect(page.getByTestId('map-hover')).toBeVisible();

  await screenshot(page, 'explore.png');
  expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});
