/**
 * The four model sources load the same model: a folder path, an in-memory file map (the browser's
 * picked folder), and a Hub-layout HTTP mirror (the e2e host), all compared with the golden embeddings.
 */
import { env } from '@huggingface/transformers';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageTextModel as loadClip, type LoadProgress } from '../models';
import { agreement, loadGolden, TINY_CLIP_DIR } from '../clip/testing/golden';
import { sourceLabel, withModelSource, type ModelSource } from './model-source';

const g = loadGolden();
const texts = g.texts.slice(0, 3);
const expected = g.text_embeds.slice(0, 3);

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(`${dir}/${prefix}`).flatMap((n) => {
    const rel = prefix ? `${prefix}/${n}` : n;
    if (rel === 'golden') return [];
    return statSync(`${dir}/${rel}`).isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

describe('model sources', () => {
  let server: Server;
  let base = '';
  const requested: string[] = [];
  const savedCacheDir = env.cacheDir;
  const cacheDir = mkdtempSync(`${tmpdir()}/clip-model-source-`);

  beforeAll(async () => {
    env.cacheDir = cacheDir; // mirrors are cached on disk in Node: keep that out of node_modules
    server = createServer((req, res) => {
      const url = req.url ?? '';
      requested.push(url);
      const m = /^\/test-org\/tiny-random-clip\/resolve\/main\/(.+)$/.exec(url);
      try {
        if (!m) throw new Error('not found');
        const body = readFileSync(`${TINY_CLIP_DIR}/${decodeURIComponent(m[1])}`);
        res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    env.cacheDir = savedCacheDir;
    rmSync(cacheDir, { recursive: true, force: true });
  });

  async function check(source: ModelSource) {
    const events: LoadProgress[] = [];
    const m = await loadClip(source, { dtype: 'q8', device: 'cpu', onProgress: (e) => events.push(e) });
    const a = agreement((await m.encodeTexts(texts)).embeds, expected);
    await m.dispose();
    expect(a.minCosine).toBeGreaterThan(0.998); // q8 (see src/clip/model.test.ts)
    return events;
  }

  it('loads from a folder path', async () => {
    await check({ kind: 'path', path: TINY_CLIP_DIR });
  });

  it('loads from an in-memory file map with byte progress, and names a missing file', async () => {
    const files = new Map(listFiles(TINY_CLIP_DIR).map((f) => [f, new Uint8Array(readFileSync(`${TINY_CLIP_DIR}/${f}`))]));
    const events = await check({ kind: 'files', name: 'tiny random clip', files });
    const p = events.find((e) => e.status === 'progress' && e.file === 'onnx/vision_model_quantized.onnx');
    expect(p?.total).toBe(statSync(`${TINY_CLIP_DIR}/onnx/vision_model_quantized.onnx`).size);

    files.delete('onnx/text_model_quantized.onnx');
    await expect(loadClip({ kind: 'files', name: 'broken', files }, { dtype: 'q8', device: 'cpu' })).rejects.toThrow(
      /text_model_quantized\.onnx/,
    );
  });

  it('loads from a Hub-layout HTTP mirror and restores env afterwards', async () => {
    const before = { host: env.remoteHost, remote: env.allowRemoteModels, fetch: env.fetch };
    requested.length = 0;
    const events = await check({ kind: 'url', baseUrl: base + '/', id: 'test-org/tiny-random-clip' });
    expect(requested).toContain('/test-org/tiny-random-clip/resolve/main/onnx/text_model_quantized.onnx');
    expect(requested).toContain('/test-org/tiny-random-clip/resolve/main/tokenizer.json');
    const done = events.filter((e) => e.status === 'done').map((e) => e.file);
    expect(done).toEqual(expect.arrayContaining(['config.json', 'onnx/vision_model_quantized.onnx', 'preprocessor_config.json']));
    expect({ host: env.remoteHost, remote: env.allowRemoteModels, fetch: env.fetch }).toEqual(before);
    expect(readdirSync(`${cacheDir}/mirrors`)).toEqual([base.replace('http://', '').replace(':', '_')]);
  });

  it('a mirror without the model fails with the URL in the message', async () => {
    await expect(loadClip({ kind: 'url', baseUrl: base, id: 'test-org/missing' }, { device: 'cpu' })).rejects.toThrow(/missing/);
  });

  it('an aborted load rejects', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled by user'));
    await expect(loadClip({ kind: 'url', baseUrl: base, id: 'test-org/tiny-random-clip' }, { signal: ac.signal })).rejects.toThrow(
      /cancelled by user/,
    );
  });

  it('serialises loads so sources never share env', async () => {
    const order: string[] = [];
    const slow = withModelSource({ kind: 'url', baseUrl: 'http://a.invalid', id: 'x/y' }, async () => {
      await new Promise((r) => setTimeout(r, 30));
      order.push(env.remoteHost);
    });
    const fast = withModelSource({ kind: 'hub', id: 'x/y' }, async () => {
      order.push(env.remoteHost);
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['http://a.invalid/', 'https://huggingface.co/']);
  });

  it('labels sources for users', () => {
    expect(sourceLabel({ kind: 'url', baseUrl: 'http://h:1/', id: 'o/n' })).toBe('http://h:1/o/n');
    expect(sourceLabel({ kind: 'hub', id: 'Xenova/clip-vit-base-patch32' })).toBe('Xenova/clip-vit-base-patch32');
  });
});
