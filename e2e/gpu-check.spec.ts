/**
 * Trust a GPU only after it proves itself (issue 21, item 4), on SwiftShader:
 * - why the bench's WebGPU training started at loss 0: TF.js WebGPU's synchronous readback (dataSync copies the
 *   buffer through a canvas) reads zeros and destroys the device on Chromium + SwiftShader; the same training step
 *   read with data() matches WASM to float precision. The graph and the kernels are right; the trainer now reads
 *   asynchronously (Run.trainStepAsync).
 * - the BatchNorm panel's self-check: a forced mismatch (`?gpuCheck=mismatch`) keeps WASM and says why, and the
 *   verdict is remembered for the adapter; the real check passes on SwiftShader and the run trains on WebGPU with
 *   the same first loss as on WASM.
 * - the CLIP and CLIPSeg workers' self-check (app/workers/model-load.ts): one embedding (one logits map) of a fixed
 *   input on WebGPU and on WASM; a forced mismatch loads the model on WASM with the reason, remembered for the
 *   adapter; the real check passes on SwiftShader and the model runs on WebGPU.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './test';
import { collectConsole, TINY_CLIP, waitModelReady } from './helpers';

interface Figures {
  loss: number;
  grads: Record<string, number[]>;
}

async function openPanel(page: Page, query = '') {
  await page.goto(`./${query}#/bnonly`);
  await expect(page.getByTestId('bn-start')).toBeVisible();
}

/** The smallest run: one mode, ResNet-8 width 4, 2 steps of batch 16 (SwiftShader is slow). */
async function configure(page: Page, backend: 'webgpu' | 'wasm') {
  await page.getByTestId('bn-dataset').selectOption('fashion-mnist');
  await page.getByTestId('bn-depth').selectOption('8');
  await page.getByTestId('bn-width').fill('4');
  for (const m of ['full', 'bn', 'bn+output', 'output', 'random2']) await page.getByTestId(`bn-mode-${m}`).setChecked(m === 'bn');
  await page.getByTestId('bn-steps').fill('2');
  await page.getByTestId('bn-batch').fill('16');
  await page.getByTestId('bn-train-size').fill('64');
  await page.getByTestId('bn-test-size').fill('32');
  await page.getByTestId('bn-eval-every').fill('2');
  await expect(page.getByTestId('bn-backend').locator(`option[value="${backend}"]`)).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('bn-backend').selectOption(backend);
}

/** The stored record of the newest experiment (IndexedDB, as the worker wrote it). */
interface StoredRun {
  id: string;
  createdAt: number;
  backend: string;
  gpuCheck?: { ok: boolean; reason?: string; fresh: boolean; key: string };
  runs: { points: { loss: number }[] }[];
}
async function newestRecord(page: Page): Promise<StoredRun> {
  return page.evaluate(
    () =>
      new Promise<StoredRun>((ok, fail) => {
        const req = indexedDB.open('lab-bnonly');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('experiments').objectStore('experiments').getAll();
          all.onsuccess = () => ok((all.result as (StoredRun & { createdAt: number })[]).sort((a, b) => b.createdAt - a.createdAt)[0]);
        };
      }),
  );
}

/**
 * Starts a run and waits for *that* run to finish. Waiting on the first row is not enough: right after a start
 * (and after a reload) the first row can still be the previous, finished run while the new record is queued with
 * no backend (CI failed on exactly that with two workers).
 */
async function startAndFinish(page: Page, timeout: number, logs: string[]) {
  const t0 = await page.evaluate(() => Date.now());
  await page.getByTestId('bn-start').click();
  await expect.poll(async () => (await newestRecord(page))?.createdAt ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(t0);
  const { id } = await newestRecord(page);
  const row = page.locator(`[data-testid="bn-run"][data-id="${id}"]`);
  await expect(row, logs.join('\n')).toHaveAttribute('data-status', 'done', { timeout });
  return { row, rec: await newestRecord(page) };
}

test('SwiftShader loss 0: TF.js WebGPU dataSync reads zeros, data() matches WASM', async ({ page }) => {
  test.setTimeout(240_000);
  await openPanel(page);
  const r = (await page.evaluate(() => window.__lab.trainingReadback())) as { webgpuAsync: Figures | string; webgpuSync: Figures | string; wasm: Figures | string };
  expect(typeof r.wasm, JSON.stringify(r.wasm)).toBe('object');
  expect(typeof r.webgpuAsync, JSON.stringify(r.webgpuAsync)).toBe('object');
  const wasm = r.wasm as Figures;
  const gpu = r.webgpuAsync as Figures;
  // our graph (custom conv/BN gradients) on TF.js's WebGPU kernels: the same step as WASM to float precision
  expect(wasm.loss).toBeGreaterThan(1);
  expect(Math.abs(gpu.loss - wasm.loss)).toBeLessThan(1e-5);
  for (const [name, ref] of Object.entries(wasm.grads)) {
    const scale = Math.max(...ref.map(Math.abs));
    const worst = Math.max(...ref.map((v, i) => Math.abs(gpu.grads[name][i] - v)));
    expect(worst / scale, name).toBeLessThan(1e-4);
  }
  // the very same tensors read synchronously: all zeros (the bench's "first loss 0")
  expect(typeof r.webgpuSync, JSON.stringify(r.webgpuSync)).toBe('object');
  const sync = r.webgpuSync as Figures;
  expect(sync.loss).toBe(0);
  for (const g of Object.values(sync.grads)) expect(g.every((v) => v === 0)).toBe(true);
});

test('forced mismatch: the run keeps WASM, says why, and the verdict is remembered for this adapter', async ({ page }) => {
  test.setTimeout(240_000);
  const logs = collectConsole(page);
  await openPanel(page, '?gpuCheck=mismatch');
  await configure(page, 'webgpu');
  const { row, rec } = await startAndFinish(page, 180_000, logs);
  await expect(row).toContainText(/WebAssembly/);
  await expect(row.getByTestId('bn-gpu-check-failed')).toContainText('self-check');
  await expect(row.getByTestId('bn-gpu-check-failed')).toContainText('forced');
  expect(rec.backend).toBe('wasm');
  expect(rec.gpuCheck).toMatchObject({ ok: false, fresh: true });
  expect(rec.gpuCheck!.key).toContain('swiftshader');
  await expect(page.getByTestId('bn-gpu-verdict')).toContainText('self-check');

  // remembered: a reload without the hook does not check again and still keeps WASM
  await openPanel(page);
  await expect(page.getByTestId('bn-gpu-check')).toHaveAttribute('data-ok', 'false');
  await configure(page, 'webgpu');
  const { rec: again } = await startAndFinish(page, 180_000, logs);
  expect(again.backend).toBe('wasm');
  expect(again.gpuCheck).toMatchObject({ ok: false, fresh: false });

  // the same message in French
  await page.getByTestId('lang').selectOption('fr');
  await expect(page.getByTestId('bn-gpu-verdict')).toContainText('auto-test');
  await page.getByTestId('lang').selectOption('en');

  // "Check again" runs the real check: SwiftShader passes it
  await page.getByTestId('bn-gpu-recheck').click();
  await expect(page.getByTestId('bn-gpu-check')).toHaveAttribute('data-ok', 'true', { timeout: 120_000 });
});

test('the real check passes on SwiftShader: the run trains on WebGPU with the same first loss as WASM', async ({ page }) => {
  test.setTimeout(400_000);
  const logs = collectConsole(page);
  await openPanel(page);
  await configure(page, 'wasm');
  const { rec: onWasm } = await startAndFinish(page, 120_000, logs);
  expect(onWasm.backend).toBe('wasm');

  await configure(page, 'webgpu');
  const { row, rec: onGpu } = await startAndFinish(page, 360_000, logs);
  expect(onGpu.gpuCheck).toMatchObject({ ok: true, fresh: true });
  expect(onGpu.backend).toBe('webgpu');
  await expect(row.getByTestId('bn-gpu-check-failed')).toHaveCount(0);
  await expect(page.getByTestId('bn-gpu-verdict')).toContainText('passed');
  // same seed, data and init: the logged losses match WASM's (they were 0 with the synchronous read)
  const a = onWasm.runs[0].points.map((p) => p.loss);
  const b = onGpu.runs[0].points.map((p) => p.loss);
  expect(b).toHaveLength(a.length);
  expect(a[0]).toBeGreaterThan(1);
  for (let i = 0; i < a.length; i++) expect(Math.abs(b[i] - a[i]), `step ${i + 1}`).toBeLessThan(1e-3);
});

test('CLIP model: a forced self-check mismatch loads on WASM and says why (remembered); "check again" passes and uses WebGPU', async ({ page, host }) => {
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  const open = (extra: Record<string, string> = {}) =>
    page.goto(`./?${new URLSearchParams({ host: host.url, model: TINY_CLIP, device: 'webgpu', dtype: 'fp32', ...extra })}#/clip`);
  await open({ gpuCheck: 'mismatch' });
  expect(await waitModelReady(page, 180_000), logs.join('\n')).toEqual({ device: 'wasm', dtype: 'fp32' });
  await expect(page.getByTestId('model-fallback')).toContainText('self-check');
  await expect(page.getByTestId('model-fallback')).toContainText('forced');
  await expect(page.getByTestId('gpu-check')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('gpu-check')).toHaveAttribute('data-fresh', 'true');

  // remembered for this adapter: a reload without the hook loads on WASM without checking again
  await open();
  expect(await waitModelReady(page, 180_000)).toEqual({ device: 'wasm', dtype: 'fp32' });
  await expect(page.getByTestId('gpu-check')).toHaveAttribute('data-fresh', 'false');
  await expect(page.getByTestId('model-fallback')).toContainText('forced');
  await page.getByTestId('lang').selectOption('fr');
  await expect(page.getByTestId('model-fallback')).toContainText('auto-test');
  await page.getByTestId('lang').selectOption('en');

  // "Check again" runs the real check: SwiftShader computes the tiny model right, so WebGPU is used
  await page.getByTestId('gpu-recheck').click();
  await expect(page.getByTestId('gpu-check')).toHaveAttribute('data-ok', 'true', { timeout: 180_000 });
  expect(await waitModelReady(page, 180_000), logs.join('\n')).toEqual({ device: 'webgpu', dtype: 'fp32' });
  await expect(page.getByTestId('gpu-check')).toHaveAttribute('data-fresh', 'true');
  await expect(page.getByTestId('model-fallback')).toHaveCount(0);
});

test('CLIPSeg model: a forced mismatch loads on WASM with the reason; the real check uses WebGPU', async ({ page, host }) => {
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  const open = (extra: Record<string, string> = {}) =>
    page.goto(`./?${new URLSearchParams({ host: host.url, segModel: 'fixtures/tiny-random-clipseg', device: 'webgpu', dtype: 'fp32', ...extra })}#/segment`);
  const ready = page.getByTestId('seg-model-ready');
  await open({ gpuCheck: 'mismatch' });
  await expect(ready, logs.join('\n')).toHaveAttribute('data-device', 'wasm', { timeout: 180_000 });
  await expect(page.getByTestId('seg-model-fallback')).toContainText('self-check');
  await expect(page.getByTestId('seg-gpu-check')).toHaveAttribute('data-ok', 'false');
  // remembered (a separate verdict from CLIP's); "check again" without the hook runs the real check
  await open();
  await expect(page.getByTestId('seg-gpu-check')).toHaveAttribute('data-fresh', 'false', { timeout: 180_000 });
  await expect(ready).toHaveAttribute('data-device', 'wasm');
  await page.getByTestId('seg-gpu-recheck').click();
  await expect(ready, logs.join('\n')).toHaveAttribute('data-device', 'webgpu', { timeout: 180_000 });
  await expect(page.getByTestId('seg-gpu-check')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('seg-model-fallback')).toHaveCount(0);
});
