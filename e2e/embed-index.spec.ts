/**
 * The lab opens an embedding index made by `cli embed` (issue 18): the explore panel's index search
 * returns the same top-5 as `cli search --index` over the same Parquet files, without recomputing
 * an image; an index of another model is refused with the reason. The same index fetched from a URL
 * (its folder's _manifest.json, or one part file) is scored in the hardness panel (AVH equal to the
 * panel's on the same images, classified there) and de-duplicated, mapped and probed in explore
 * (equal to the same computations in Node over the Parquet rows).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { indexTable, readIndexTable } from '../src/index-store/schema';
import { EmbeddingIndex } from '../src/clip/search-rank';
import { shotsCurve, stratifiedSplit, subset } from '../src/math/probe-splits';
import { test, expect } from './test';
import { CLIP_GOLDEN_DIR, classify, collectConsole, openClip, setClasses, waitModelReady } from './helpers';

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

/** Serves `root` with the CORS/CORP headers a cross-origin-isolated page needs (a model host's). */
async function serveFolder(root: string): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

const lastTwo = (p: string) => p.split(/[/\\]/).slice(-2).join('/');

test('an index fetched from a URL is scored in the hardness panel (AVH as on the classified images) and de-duplicated, mapped, probed in explore', async ({ page, host }) => {
  test.setTimeout(300_000);
  const logs = collectConsole(page);
  // Two labelled folders of the golden images; chelsea.png in both (an exact near-duplicate pair).
  const root = mkdtempSync(join(tmpdir(), 'embed-hard-'));
  const src = join(root, 'photos');
  const images = readdirSync(CLIP_GOLDEN_DIR).filter((f) => /\.(png|jpg)$/.test(f)).sort();
  images.forEach((f, i) => {
    const dir = join(src, i % 2 ? 'dogs' : 'cats');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(CLIP_GOLDEN_DIR, f), join(dir, f));
  });
  const twin = images.indexOf('chelsea.png') % 2 ? 'cats' : 'dogs';
  copyFileSync(join(CLIP_GOLDEN_DIR, 'chelsea.png'), join(src, twin, 'chelsea.png'));
  const n = images.length + 1;
  const out = join(root, 'index');
  const made = cli(['embed', '--model', 'e2e/fixtures/tiny-random-clip', '--part-rows', '4', '--out', out, src]);
  const server = await serveFolder(out);
  try {
    await openClip(page, host.url, { device: 'wasm', dtype: 'fp32' });
    await waitModelReady(page);
    // The panel's own numbers: the same images classified in the CLIP panel, scored in the hardness panel.
    await page.getByTestId('folder-input').setInputFiles(src);
    await expect(page.getByTestId('image-count')).toContainText(String(n));
    await setClasses(page, ['cats', 'dogs'], '{}');
    await classify(page);
    await page.getByTestId('tab-hardness').click();
    await expect(page.getByTestId('hard-row')).toHaveCount(n);
    const readRows = () => page.getByTestId('hard-row').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name')!, avh: Number(e.getAttribute('data-avh')) })));
    const panel = new Map((await readRows()).map((r) => [lastTwo(r.name), r.avh]));
    expect(panel.size).toBe(n);

    await made;
    const manifest = JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8')) as { parts: string[] };
    expect(manifest.parts).toHaveLength(Math.ceil(n / 4));
    // The folder's URL: the lab reads _manifest.json, then each part it lists.
    await page.getByTestId('hard-index-url').fill(server.url);
    await page.getByTestId('hard-index-url-open').click();
    await expect(page.getByTestId('hard-index-status')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await expect(page.getByTestId('hard-index-status')).toHaveAttribute('data-from', 'url');
    expect(server.requests).toEqual(['/_manifest.json', ...manifest.parts.map((p) => `/${p}`)]);
    const imageRequests: string[] = [];
    page.on('request', (r) => /\.(png|jpg)$/.test(r.url()) && imageRequests.push(r.url()));
    await page.getByTestId('hard-index-use').click();
    await expect(page.getByTestId('hard-index-note')).toBeVisible();
    await expect(page.getByTestId('hard-row')).toHaveCount(n);
    const imported = await readRows();
    let worst = 0;
    for (const r of imported) {
      const want = panel.get(lastTwo(r.name));
      expect(want, r.name).toBeDefined();
      worst = Math.max(worst, Math.abs(r.avh - want!));
    }
    console.log(`hardness: AVH of ${imported.length} imported rows vs the panel's on the same images: max |diff| ${worst.toExponential(2)}`);
    expect(worst, logs.join('\n')).toBeLessThan(1e-6);
    // The probe as class vectors runs on the stored embeddings too.
    await page.getByTestId('hard-source').selectOption('probe');
    await expect(page.getByTestId('hard-row')).toHaveCount(n);
    await expect(page.getByTestId('hard-error')).toHaveCount(0);
    expect(imageRequests, 'no image is read: the embeddings come from the index').toEqual([]);

    // Explore: the same index (one per lab). References in Node from the Parquet rows.
    const parts = manifest.parts.map((p) => readIndexTable(tableFromIPC(pq.readParquet(readFileSync(join(out, p))).intoIPCStream()), p));
    const paths = parts.flatMap((c) => c.path);
    const labels = parts.flatMap((c) => c.label);
    const dim = parts[0].dim;
    const flat = new Float32Array(paths.length * dim);
    parts.reduce((at, c) => (flat.set(c.embeddings, at), at + c.embeddings.length), 0);
    await page.getByTestId('tab-explore').click();
    await expect(page.getByTestId('index-status')).toHaveAttribute('data-status', 'ready');

    // The tiny random model puts every image close to the others: a threshold that only the twins pass.
    await page.getByTestId('index-dup-threshold').fill('0.995');
    await page.getByTestId('index-find-dups').click();
    const wantGroups = EmbeddingIndex.from(flat, dim).nearDuplicateGroups(0.995).map((g) => g.map((i) => paths[i]));
    expect(wantGroups.map((g) => g.map(lastTwo))).toContainEqual(['cats/chelsea.png', 'dogs/chelsea.png']);
    await expect(page.getByTestId('index-dup-groups')).toHaveAttribute('data-groups', JSON.stringify(wantGroups));

    await page.getByTestId('index-build-map').click();
    await expect(page.getByTestId('index-map')).toHaveAttribute('data-shown', String(n));
    await expect(page.getByTestId('index-map')).toHaveAttribute('data-total', String(n));
    await expect(page.getByTestId('index-embed-map').locator('circle').first()).toBeVisible();

    await page.getByTestId('index-train-probe').click();
    const summary = page.getByTestId('index-probe-summary');
    await expect(summary).toBeVisible({ timeout: 60_000 });
    // The explore store's defaults (held out 30%, seed 0, L2 1e-3), as the panel sends them.
    const settings = await page.evaluate(() => JSON.parse(localStorage.getItem('lab-explore') ?? '{}').state ?? {});
    const heldOut = settings.heldOut ?? 0.3, seed = settings.seed ?? 0, l2 = settings.l2 ?? 1e-3;
    const classes = ['cats', 'dogs'];
    const rowLabels = Int32Array.from(labels, (l) => classes.indexOf(l!));
    const rows = [...rowLabels.keys()].filter((r) => rowLabels[r] >= 0);
    const data = subset({ x: flat, dim, labels: rowLabels }, rows);
    const split = stratifiedSplit(data.labels, heldOut, seed, 2);
    const curve = shotsCurve(data, split.train, split.heldOut, { classCount: 2, l2, seed });
    await expect(summary).toHaveAttribute('data-train', String(split.train.length));
    await expect(summary).toHaveAttribute('data-held', String(split.heldOut.length));
    expect(Number(await summary.getAttribute('data-probe'))).toBeCloseTo(curve[curve.length - 1].accuracy, 9);

    // One part file by its URL: only its rows.
    await page.getByTestId('index-url').fill(`${server.url}${manifest.parts[0]}`);
    await page.getByTestId('index-url-open').click();
    await expect(page.getByTestId('index-status')).toContainText(`${parts[0].path.length} `);
    await expect(page.getByTestId('index-status')).toHaveAttribute('data-from', 'url');
    // A folder with no manifest is refused with the reason; the opened index stays.
    await page.getByTestId('index-url').fill(`${server.url}nothing-here/`);
    await page.getByTestId('index-url-open').click();
    await expect(page.getByTestId('index-error')).toContainText('no _manifest.json at');
    await expect(page.getByTestId('index-status')).toHaveAttribute('data-status', 'ready');
  } finally {
    await server.close();
  }
});
