/**
 * BatchNorm-only panel: a tiny run started from the UI trains in the worker on the bundled Fashion-MNIST subset,
 * draws its curves and gamma histogram, survives a reload, and exports metrics and weights that match the page.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { test, expect } from './test';
import { collectConsole, screenshot } from './helpers';

const STEPS = 12;
const MODES = ['full', 'bn', 'output'];
// Exact counts for ResNet-8, width 16, one input channel (issue 6): total 77,754; bn 672; output 650.
const COUNTS: Record<string, number> = { full: 77754, bn: 672, output: 650 };

async function openPanel(page: Page) {
  await page.goto('./#/bnonly');
  await expect(page.locator('main h2').first()).toBeVisible();
  await expect(page.getByTestId('bn-start')).toBeVisible();
}

async function configureTinyRun(page: Page, steps = STEPS) {
  await page.getByTestId('bn-dataset').selectOption('fashion-mnist');
  await page.getByTestId('bn-depth').selectOption('8');
  await page.getByTestId('bn-width').fill('16');
  for (const m of ['full', 'bn', 'bn+output', 'output', 'random2']) {
    await page.getByTestId(`bn-mode-${m}`).setChecked(MODES.includes(m));
  }
  await page.getByTestId('bn-steps').fill(String(steps));
  await page.getByTestId('bn-batch').fill('32');
  await page.getByTestId('bn-train-size').fill('512');
  await page.getByTestId('bn-test-size').fill('256');
  await page.getByTestId('bn-eval-every').fill('6');
  // WASM: the software WebGPU adapter of headless Chromium is far slower.
  await page.getByTestId('bn-backend').selectOption('wasm');
}

async function readDownload(d: Download): Promise<string> {
  return readFileSync((await d.path())!, 'utf8');
}

test('a tiny run trains, draws its curves and histogram, survives a reload and exports', async ({ page }) => {
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  await openPanel(page);
  await configureTinyRun(page);
  for (const [mode, n] of Object.entries(COUNTS)) {
    await expect(page.getByTestId(`bn-count-${mode}`)).toHaveAttribute('data-trainable', String(n));
  }
  await page.getByTestId('bn-start').click();
  const row = page.getByTestId('bn-run').first();
  await expect(row, logs.join('\n')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(row).toHaveAttribute('data-step', String(STEPS));
  await expect(row).toContainText(/WebAssembly/);

  const checkDrawn = async () => {
    // One loss line per mode, with a point per logged step; accuracy: test (solid) + train (dashed) per mode.
    const loss = page.getByTestId('bn-chart-loss').locator('path.bn-line');
    await expect(loss).toHaveCount(MODES.length);
    for (const m of MODES) {
      const p = page.getByTestId('bn-chart-loss').locator(`path[data-series="${m}"]`);
      await expect(p).toHaveAttribute('data-points', String(STEPS));
      expect(((await p.getAttribute('d')) ?? '').match(/L/g)?.length).toBe(STEPS - 1);
    }
    await expect(page.getByTestId('bn-chart-acc').locator('path.bn-line')).toHaveCount(2 * MODES.length);
    // test accuracy at steps 0, 6 and 12
    await expect(page.getByTestId('bn-chart-acc').locator('path[data-series="bn-test"]')).toHaveAttribute('data-points', '3');
    // gamma histogram: every BN channel of ResNet-8-16 (336 = 672 / 2) lands in a bar
    const hist = page.getByTestId('bn-chart-gamma').locator('svg');
    await expect(hist).toHaveAttribute('data-channels', '336');
    expect(await page.getByTestId('bn-chart-gamma').locator('rect.bn-bar').count()).toBeGreaterThan(3);
    await expect(page.getByTestId('bn-off-summary')).toContainText('%');
  };
  await checkDrawn();

  const table = page.getByTestId('bn-paper-table');
  for (const [mode, n] of Object.entries(COUNTS)) {
    await expect(table.locator(`tr[data-mode="${mode}"]`)).toHaveAttribute('data-trainable', String(n));
    await expect(table.locator(`tr[data-mode="${mode}"]`)).toHaveAttribute('data-total', '77754');
  }
  const pageAcc: Record<string, number> = {};
  for (const m of MODES) {
    const acc = await table.locator(`tr[data-mode="${m}"]`).getAttribute('data-test-acc');
    expect(acc, `${m}: test accuracy (a fraction) in the table`).toMatch(/^(0|1|0\.\d+)$/);
    pageAcc[m] = Number(acc);
  }

  await page.setViewportSize({ width: 1360, height: 900 });
  await screenshot(page, 'bnonly.png');

  // Reload: the run is still listed, with its metrics, and drawn again from IndexedDB.
  await page.reload();
  await expect(page.getByTestId('bn-run')).toHaveCount(1);
  await expect(page.getByTestId('bn-run').first()).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('bn-run').first()).toHaveAttribute('data-step', String(STEPS));
  await checkDrawn();

  // CSV: one row per mode and step (12 logged steps + the step-0 evaluation), values as on the page.
  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bn-export-csv').click()]);
  expect(csvDl.suggestedFilename()).toMatch(/\.csv$/);
  const lines = (await readDownload(csvDl)).trim().split('\n');
  const header = lines[0].split(',');
  expect(header).toEqual(['experiment', 'mode', 'step', 'lr', 'loss', 'train_accuracy', 'test_accuracy', 'disabled_fraction', 'trainable_params', 'total_params']);
  expect(lines.length - 1).toBe(MODES.length * (STEPS + 1));
  for (const m of MODES) {
    const last = lines.map((l) => l.split(',')).filter((c) => c[1] === `"${m}"` && c[2] === String(STEPS))[0];
    expect(Number(last[6])).toBeCloseTo(pageAcc[m], 10);
    expect(Number(last[8])).toBe(COUNTS[m]);
    expect(Number(last[4])).toBeGreaterThan(0);
  }

  // JSON metrics: counts, frozen weights bit-identical, accuracy as a fraction.
  const [jsonDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bn-export-json').click()]);
  const metrics = JSON.parse(await readDownload(jsonDl));
  expect(metrics.config.depth).toBe(8);
  expect(metrics.runs.map((r: { mode: string }) => r.mode)).toEqual(MODES);
  for (const r of metrics.runs) {
    expect(r.trainable_params).toBe(COUNTS[r.mode]);
    expect(r.total_params).toBe(77754);
    expect(r.frozen_unchanged).toBe(true);
    expect(r.test_accuracy).toBe(pageAcc[r.mode]); // the fraction the page's table shows for that run
    expect(r.points).toHaveLength(STEPS);
    expect(r.disabled_threshold).toBeGreaterThan(0);
  }

  // Weights of bn: gammas and betas trainable (and trained), convolutions frozen; shapes match the data.
  await page.getByTestId('bn-weights-mode').selectOption('bn');
  const [wDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bn-export-weights').click()]);
  const w = JSON.parse(await readDownload(wDl));
  expect(w.mode).toBe('bn');
  expect(w.step).toBe(STEPS);
  let trainable = 0;
  let total = 0;
  for (const [name, p] of Object.entries(w.params as Record<string, { shape: number[]; trainable: boolean; data: number[] }>)) {
    expect(p.data.length, name).toBe(p.shape.reduce((a, b) => a * b, 1));
    total += p.data.length;
    if (p.trainable) trainable += p.data.length;
    expect(p.trainable, name).toBe(/\.(gamma|beta)$/.test(name));
  }
  expect(trainable).toBe(672);
  expect(total).toBe(77754);
  // beta starts at 0: after 12 SGD steps it has moved
  expect(w.params['stem.bn.beta'].data.some((v: number) => v !== 0)).toBe(true);
});

test('a run paused and interrupted by a reload resumes from its checkpoint and ends exactly like an uninterrupted one', async ({ page }) => {
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  const steps = 16;
  await openPanel(page);
  await configureTinyRun(page, steps);
  for (const m of ['full', 'bn', 'bn+output', 'output', 'random2']) await page.getByTestId(`bn-mode-${m}`).setChecked(m === 'bn' || m === 'random2');
  await page.getByTestId('bn-eval-every').fill('4');
  // 256 images = 8 batches an epoch: the run reshuffles after the resume, so the data stream's state matters too.
  await page.getByTestId('bn-train-size').fill('256');

  // Run A: pause part-way, reload (the worker dies), resume from the checkpoint.
  await page.getByTestId('bn-start').click();
  const row = page.getByTestId('bn-run').first();
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 120_000 });
  await expect.poll(async () => Number(await row.getAttribute('data-step')), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await page.getByTestId('bn-pause').click();
  await expect(row).toHaveAttribute('data-status', 'paused');
  const pausedAt = Number(await row.getAttribute('data-step'));
  expect(pausedAt).toBeLessThan(steps);
  await page.reload();
  await expect(row).toHaveAttribute('data-status', 'interrupted');
  await expect(row).toHaveAttribute('data-step', String(pausedAt));
  const idA = await row.getAttribute('data-id');
  await page.getByTestId('bn-resume').click();
  await expect(row, logs.join('\n')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });

  // Run B: same configuration, never interrupted.
  await page.getByTestId('bn-start').click();
  const rowB = page.locator('[data-testid="bn-run"]').first();
  await expect(rowB).not.toHaveAttribute('data-id', idA!);
  await expect(rowB, logs.join('\n')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });

  const metricsOf = async (id: string) => {
    await page.locator(`[data-testid="bn-run"][data-id="${id}"]`).getByTestId('bn-show').click();
    await expect(page.getByTestId('bn-selected')).toHaveAttribute('data-id', id);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bn-export-json').click()]);
    return JSON.parse(await readDownload(dl)) as { runs: { mode: string; points: { loss: number }[]; evals: { testAcc: number }[]; frozen_unchanged: boolean }[] };
  };
  const a = await metricsOf(idA!);
  const b = await metricsOf((await rowB.getAttribute('data-id'))!);
  expect(a.runs.map((r) => r.mode)).toEqual(['bn', 'random2']);
  for (let i = 0; i < a.runs.length; i++) {
    expect(a.runs[i].points).toHaveLength(steps);
    // bit-identical: same losses at every step and the same test accuracies at every evaluation
    expect(a.runs[i].points.map((p) => p.loss)).toEqual(b.runs[i].points.map((p) => p.loss));
    expect(a.runs[i].evals.map((p) => p.testAcc)).toEqual(b.runs[i].evals.map((p) => p.testAcc));
    expect(a.runs[i].frozen_unchanged).toBe(true);
  }
});

test('CIFAR-10: a dropped archive in the official layout trains; a malformed one fails with a message naming it', async ({ page }) => {
  test.setTimeout(240_000);
  const { writeCifarBatch, writeTarGz } = await import('../src/data/cifar');
  const { gzipSync } = await import('fflate');
  const records = (n: number, seed: number) => {
    const images = new Uint8Array(n * 3072);
    for (let i = 0; i < images.length; i++) images[i] = (i * 31 + seed * 7) % 251;
    const labels = Uint8Array.from({ length: n }, (_, i) => (i + seed) % 10);
    return writeCifarBatch(images, labels);
  };
  const archive = writeTarGz([
    { name: 'cifar-10-batches-bin/data_batch_1.bin', data: records(96, 1) },
    { name: 'cifar-10-batches-bin/test_batch.bin', data: records(32, 2) },
  ]);
  await openPanel(page);
  await configureTinyRun(page, 3);
  await page.getByTestId('bn-dataset').selectOption('cifar10');
  await page.getByTestId('bn-cifar-file').setInputFiles({ name: 'cifar-10-binary.tar.gz', mimeType: 'application/gzip', buffer: Buffer.from(archive) });
  await page.getByTestId('bn-start').click();
  const row = page.getByTestId('bn-run').first();
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 200_000 });
  await expect(row).toContainText('CIFAR-10');
  // three input channels: total = 77,754 + 16 * 3 * 3 * 2 stem weights more
  await expect(page.getByTestId('bn-paper-table').locator('tr[data-mode="bn"]')).toHaveAttribute('data-total', String(77754 + 288));

  await page.getByTestId('bn-cifar-file').setInputFiles({ name: 'broken.tar.gz', mimeType: 'application/gzip', buffer: Buffer.from(gzipSync(new Uint8Array(2048).fill(7))) });
  await page.getByTestId('bn-start').click();
  const bad = page.getByTestId('bn-run').first();
  await expect(bad).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
  await expect(bad.getByRole('alert')).toContainText('broken.tar.gz');
  await expect(bad.getByRole('alert')).toContainText('not a tar archive');
});

/** A v1 .npy of float32 values (header padded to 64 bytes, as numpy writes it). */
function npyFloat32(values: number[]): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${values.length},), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 11, ' ') + '\n';
  const out = Buffer.alloc(total + 4 * values.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  values.forEach((v, i) => out.writeFloatLE(v, total + 4 * i));
  return out;
}

test('a run’s images open in the hardness panel; its easy-to-hard order trains a curriculum run; NPY human scores', async ({ page }) => {
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  await openPanel(page);
  await configureTinyRun(page, 6);
  for (const m of ['full', 'output']) await page.getByTestId(`bn-mode-${m}`).setChecked(false);
  await page.getByTestId('bn-train-size').fill('256');
  await page.getByTestId('bn-test-size').fill('128');
  await page.getByTestId('bn-start').click();
  const row = page.getByTestId('bn-run').first();
  await expect(row, logs.join('\n')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  // The training images through the bn network: ranked easiest first by AVH against its last layer.
  await row.getByTestId('bn-hardness-train').click();
  await expect(page).toHaveURL(/#\/hardness/);
  await expect(page.getByTestId('hard-network-note')).toContainText('256');
  await expect(page.getByTestId('hard-source')).toHaveValue('network');
  await expect(page.getByTestId('hard-row').first()).toBeVisible();
  const avh = await page.getByTestId('hard-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-avh'))));
  expect(avh.length).toBeGreaterThan(3);
  for (let i = 1; i < avh.length; i++) expect(avh[i]).toBeGreaterThanOrEqual(avh[i - 1]);
  expect(avh[0]).toBeGreaterThan(0);
  await expect(page.getByTestId('hard-curriculum-note')).toBeVisible();
  const [cur] = await Promise.all([page.waitForEvent('download'), page.getByTestId('hard-export-curriculum').click()]);
  const curriculum = JSON.parse(readFileSync((await cur.path())!, 'utf8'));
  expect([curriculum.dataset, curriculum.split, curriculum.images.length]).toEqual(['fashion-mnist', 'train', 256]);
  expect(new Set(curriculum.images.map((im: { index: number }) => im.index)).size).toBe(256);
  expect(curriculum.images[0].avh).toBeCloseTo(avh[0], 12);

  // NPY human scores by dataset index: 1 - AVH, so AVH's rank correlation with them is exactly -1.
  const scores = new Array<number>(256);
  for (const im of curriculum.images as { index: number; avh: number }[]) scores[im.index] = 1 - im.avh;
  await page.getByTestId('hard-human-input').setInputFiles({ name: 'human.npy', mimeType: 'application/octet-stream', buffer: npyFloat32(scores) });
  const result = page.getByTestId('hard-human-result');
  await expect(result).toHaveAttribute('data-n', '256');
  expect(Number(await result.getAttribute('data-rho-avh'))).toBeCloseTo(-1, 6);
  await page.getByTestId('hard-human-input').setInputFiles({ name: 'short.npy', mimeType: 'application/octet-stream', buffer: npyFloat32([0.5, 0.5]) });
  await expect(page.getByTestId('hard-human-error')).toContainText('short.npy: 2 rows');
  await expect(page.getByTestId('hard-human-choose')).toBeVisible();

  // Back in the BatchNorm panel: train in that order (kept from the hardness panel), then from the exported file.
  await page.goto('./#/bnonly');
  await page.getByTestId('bn-order').selectOption('curriculum');
  await expect(page.getByTestId('bn-curriculum')).toContainText('256');
  await page.getByTestId('bn-curriculum-file').setInputFiles({ name: 'curriculum.json', mimeType: 'application/json', buffer: readFileSync((await cur.path())!) });
  await expect(page.getByTestId('bn-curriculum')).toContainText('curriculum.json');
  await expect(page.getByTestId('bn-curriculum-file-src')).toBeChecked();
  await page.getByTestId('bn-start').click();
  const second = page.getByTestId('bn-run').first();
  await expect(second.getByTestId('bn-run-curriculum')).toBeVisible();
  await expect(second, logs.join('\n')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  // The test images of the curriculum run.
  await second.getByTestId('bn-hardness-test').click();
  await expect(page.getByTestId('hard-network-note')).toContainText('128');
  await expect(page.getByTestId('hard-row').first()).toBeVisible();
  const first = await page.getByTestId('hard-row').first().getAttribute('data-avh');
  // After a reload the panel computes the same run's images again from its checkpoint: same ranking.
  await page.reload();
  await expect(page.getByTestId('hard-network-note')).toContainText('128', { timeout: 60_000 });
  await expect(page.getByTestId('hard-row').first()).toHaveAttribute('data-avh', first!);
  await page.getByTestId('hard-network-leave').click();
  await expect(page.getByTestId('hard-network-note')).toHaveCount(0);
});
