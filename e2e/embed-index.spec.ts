/**
 * The lab opens an embedding index made by `cli embed` (issue 18): the explore panel's index search
 * returns the same top-5 as `cli search --index` over the same Parquet files, without recomputing
 * an image; an index of another model is refused with the reason.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tableToIPC } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { indexTable } from '../src/index-store/schema';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, collectConsole, openClip, waitModelReady } from './helpers';

const exec = promisify(execFile);
const cli = (args: string[]) => exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { maxBuffer: 1 << 24 });
const QUERY = 'a photo of a cat';

test('an index made by cli embed opens in the explore panel and searches like cli search --index', async ({ page, host }) => {
  const logs = collectConsole(page);
  const out = mkdtempSync(join(tmpdir(), 'embed-index-'));
  // The CLI runs while the page loads the model.
  const made = (async () => {
    await cli(['embed', '--model', 'e2e/fixtures/tiny-random-clip', '--part-rows', '5', '--out', out, CLIP_GOLDEN_DIR]);
    const { stdout } = await cli(['search', '--index', out, '--query', QUERY, '--top', '5', '--json']);
    return (JSON.parse(stdout) as { results: { image: string; score: number }[] }).results;
  })();

  await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
  await waitModelReady(page);
  const want = await made;
  expect(want).toHaveLength(5);
  const imageRequests: string[] = [];
  page.on('request', (r) => /golden\/.*\.(png|jpg)/.test(r.url()) && imageRequests.push(r.url()));

  await page.getByTestId('tab-explore').click();
  await page.getByTestId('index-folder-input').setInputFiles(out);
  await expect(page.getByTestId('index-status')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('index-status')).toContainText('9');
  await page.getByTestId('index-query').fill(QUERY);
  const hits = page.getByTestId('index-hit');
  await expect(hits.first()).toBeVisible();
  const got = await hits.evaluateAll((els) => els.slice(0, 5).map((e) => ({ path: e.getAttribute('data-path')!, score: Number(e.getAttribute('data-score')) })));
  expect(got.map((h) => h.path), logs.join('\n')).toEqual(want.map((w) => w.image));
  // The lab's query embedding is the WASM build's (float32 rounding differs from onnxruntime-node's);
  // the golden parity tests allow 2e-3 on cosines for the same reason.
  got.forEach((h, i) => expect(Math.abs(h.score - want[i].score)).toBeLessThan(2e-3));
  expect(imageRequests, 'no image is read: the embeddings come from the index').toEqual([]);

  // An index of another model (same dimension) is refused with the reason; the opened one stays.
  const other = mkdtempSync(join(tmpdir(), 'embed-index-other-'));
  const dim = (await page.evaluate(() => (window as unknown as { __lab: { model(): Promise<{ dim: number }> } }).__lab.model())).dim;
  const table = indexTable([{ path: 'x.png', sha256: '0'.repeat(64), width: 1, height: 1, label: null, model: 'someone/another-model', dtype: 'fp32', embedding: new Float32Array(dim).fill(1 / Math.sqrt(dim)) }], dim);
  writeFileSync(join(other, 'part-00000-00000.parquet'), pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream'))));
  await page.getByTestId('index-folder-input').setInputFiles(other);
  await expect(page.getByTestId('index-error')).toContainText('someone/another-model');
  await expect(page.getByTestId('index-status')).toHaveAttribute('data-status', 'ready');
  await expect(hits.first()).toHaveAttribute('data-path', want[0].image);
});
