/**
 * Evaluate panel: a small CIFAR-10-format archive built here is dropped into the lab; zero-shot with
 * the template ablation and the linear probe run in the worker (CLIP worker's model); the table is
 * checked against the CLI's `evaluate` on the same archive (onnxruntime-node), the reference rows
 * against the one data file, the HTML report for self-containment, and the result survives a reload.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from './test';
import { FIXTURES, collectConsole, openClip, screenshot, waitModelReady } from './helpers';
import { writeCifarBatch, writeTarGz } from '../src/data/cifar';
import reference from '../src/eval/reference-figures.json' with { type: 'json' };

const exec = promisify(execFile);

/** Near-solid colours per image (the random fixture's predictions then vary), labels i % 10. */
function images(n: number, seed: number) {
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const px = new Uint8Array(n * 3072);
  let r = seed;
  for (let i = 0; i < n; i++)
    for (let p = 0; p < 1024; p++)
      for (let c = 0; c < 3; c++) {
        r = (r * 1103515245 + 12345) >>> 0;
        px[(i * 1024 + p) * 3 + c] = ((i * 53 + c * 97 + seed * 29) % 240) + (r >>> 28);
      }
  return { px, labels };
}

interface CliOut {
  n: number;
  top1: number;
  templates: { ablation: { set: string; top1: number }[] };
  probe: { shots: unknown[] };
}

test('zero-shot with the ablation and the probe on a dropped CIFAR archive; reference rows; HTML report; kept over a reload', async ({ page, host }) => {
  test.setTimeout(120_000);
  const logs = collectConsole(page);
  const test10 = images(20, 1);
  const train = images(30, 2);
  const dir = mkdtempSync(join(tmpdir(), 'eval-e2e-'));
  const archive = join(dir, 'cifar-10-binary.tar.gz');
  writeFileSync(
    archive,
    writeTarGz([
      { name: 'cifar-10-batches-bin/test_batch.bin', data: writeCifarBatch(test10.px, test10.labels) },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: writeCifarBatch(train.px, train.labels) },
    ]),
  );
  // The CLI on the same archive, fp32 on onnxruntime-node: the independent figures.
  const cliRun = exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'evaluate', '--model', join(FIXTURES, 'tiny-random-clip'), '--dataset', 'cifar10', '--data', archive, '--probe', '--json'], {
    cwd: join(FIXTURES, '../..'),
  });

  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await page.evaluate(() => (location.hash = '#/evaluate'));
  await page.getByTestId('eval-file-input').setInputFiles(archive);
  await expect(page.getByTestId('eval-dataset')).toHaveValue('cifar10');
  await page.getByTestId('eval-mode').selectOption('all');
  await page.getByTestId('eval-probe').check();
  await page.getByTestId('eval-run').click();
  const result = page.getByTestId('eval-result');
  await expect(result.or(page.getByTestId('eval-error'))).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('eval-error')).toHaveCount(0);
  await expect(result).toHaveAttribute('data-n', '20');

  const cli = JSON.parse((await cliRun).stdout) as CliOut;
  const rows = page.getByTestId('eval-ablation').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  for (const a of cli.templates.ablation) {
    const ui = Number(await rows.and(page.locator(`[data-set="${a.set}"]`)).getAttribute('data-top1'));
    // Within one image of 20: WASM and onnxruntime-node fp32 agree to ~1e-6 in cosine, which can
    // flip only a near-tie between two classes of the random fixture.
    expect(Math.abs(ui - a.top1), a.set).toBeLessThanOrEqual(1 / 20 + 1e-9);
  }
  expect(Math.abs(Number(await result.getAttribute('data-top1')) - cli.top1)).toBeLessThanOrEqual(1 / 20 + 1e-9);

  // Reference rows: the tiny fixture names no architecture, so every CIFAR-10 row of the data file shows.
  const refs = reference.rows.filter((r) => 'cifar10' in r);
  await expect(page.getByTestId('eval-row-reference')).toHaveCount(refs.length);
  await expect(page.getByTestId('eval-summary')).toContainText('Table 11');

  // The probe and its shots curve (1, 2, 4, 8, 16, all).
  await expect(page.getByTestId('eval-probe-summary')).toBeVisible();
  await expect(page.getByTestId('eval-shots').locator('tbody tr')).toHaveCount(cli.probe.shots.length);
  await expect(page.getByTestId('eval-shots-chart')).toBeVisible();
  await screenshot(page, 'evaluate.png');

  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('eval-export-html').click()]);
  const html = readFileSync((await dl.path())!, 'utf8');
  expect(html).toMatch(/<h1>Evaluation: [^<]*fixtures\/tiny-random-clip on cifar10 \(test\)<\/h1>/);
  const uiTop1 = Number(await result.getAttribute('data-top1'));
  expect(html).toContain(`<td>this run (ensemble)</td><td>${(100 * uiTop1).toFixed(2)}</td>`);
  expect(html).toContain('Table 11');
  expect(html).toContain('Linear probe');
  expect(html).not.toMatch(/<script|<link|src=|href=/i);

  // Nothing computed is lost on reload.
  const top1 = await result.getAttribute('data-top1');
  await page.reload();
  await expect(page.getByTestId('eval-result')).toHaveAttribute('data-top1', top1!);
  expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('a zipped class/image tree: folder classes, an unreadable image named, no reference rows for a non-standard set', async ({ page, host }) => {
  test.setTimeout(90_000);
  const { zipSync } = await import('fflate');
  const golden = (f: string) => new Uint8Array(readFileSync(join(FIXTURES, 'tiny-random-clip', 'golden', f)));
  const zip = join(mkdtempSync(join(tmpdir(), 'eval-zip-')), 'pets.zip');
  writeFileSync(
    zip,
    zipSync({
      'pets/cat/chelsea.png': golden('chelsea.png'),
      'pets/cat/broken.png': new TextEncoder().encode('not a png'),
      'pets/person/astronaut.png': golden('astronaut.png'),
      'pets/cup/coffee.png': golden('coffee.png'),
    }),
  );
  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  await page.evaluate(() => (location.hash = '#/evaluate'));
  await page.getByTestId('eval-file-input').setInputFiles(zip);
  await expect(page.getByTestId('eval-dataset')).toHaveValue('folder');
  await page.getByTestId('eval-mode').selectOption('all');
  await page.getByTestId('eval-probe').uncheck();
  await page.getByTestId('eval-run').click();
  const result = page.getByTestId('eval-result');
  await expect(result.or(page.getByTestId('eval-error'))).toBeVisible({ timeout: 60_000 });
  await expect(result).toHaveAttribute('data-n', '3');
  await expect(page.getByTestId('eval-per-class').locator('tbody tr td:first-child')).toHaveText(['cat', 'cup', 'person']);
  await expect(page.getByTestId('eval-errors')).toContainText('cat/broken.png');
  await expect(page.getByTestId('eval-row-reference')).toHaveCount(0);
});
