/**
 * The one embedding pipeline, on the tiny-random-clip fixture with Node's decoder: order, per-item
 * errors, the model-failure rule (a failed batch fails its images only; a fatal error ends the run),
 * the cache (hits are not recomputed), cancellation, and parity with the reference embeddings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageTextModel, type ImageTextModel } from '../models';
import { agreement, GOLDEN_DIR, loadGolden, TINY_CLIP_DIR } from '../clip/testing/golden';
import { decodeImageNode } from '../data/decode-node';
import { loadPreprocessorConfig } from '../clip/preprocess';
import { embedImages, prepareBatch, type EmbedOptions, type EmbedResult, type ImageItem } from './embed-images';

const g = loadGolden();
const file = (name: string): ImageItem => ({ name, read: async () => new Uint8Array(readFileSync(join(GOLDEN_DIR, name))) });

describe('embedImages', () => {
  let model: ImageTextModel;
  beforeAll(async () => {
    model = await loadImageTextModel({ kind: 'path', path: TINY_CLIP_DIR }, { device: 'cpu' });
  });
  afterAll(async () => model?.dispose());

  async function run(items: ImageItem[], extra: Partial<EmbedOptions> = {}) {
    const all: EmbedResult[] = [];
    const batches: number[] = [];
    const summary = await embedImages(items, {
      model,
      decode: decodeImageNode,
      batchSize: 3,
      onBatch: (r) => {
        all.push(...r);
        batches.push(r.length);
      },
      ...extra,
    });
    return { all, batches, summary };
  }

  it('embeds every image like the reference, in input order, with per-item errors', async () => {
    const items = [
      file(g.images[0]),
      { name: 'notes.png', read: async () => new TextEncoder().encode('not an image') },
      { name: 'gone.png', read: async () => Promise.reject(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })) },
      { name: 'folder', error: 'no image files in this folder' },
      ...g.images.slice(1).map(file),
    ];
    const { all, summary } = await run(items);
    expect(all.map((r) => r.index)).toEqual(items.map((_, i) => i));
    expect(summary).toMatchObject({ done: items.length, total: items.length, errors: 3, computed: g.images.length, cancelled: false });
    const bad = all.filter((r) => !r.ok) as Extract<EmbedResult, { ok: false }>[];
    expect(bad.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(bad[0].error).toMatch(/not an image|unknown|format/i);
    expect(bad[1].error).toBe('file not found');
    expect(bad[2].error).toBe('no image files in this folder');
    const ok = all.filter((r) => r.ok) as Extract<EmbedResult, { ok: true }>[];
    const packed = new Float32Array(ok.length * model.dim);
    ok.forEach((r, i) => packed.set(r.embedding, i * model.dim));
    expect(agreement(packed, g.image_embeds).minCosine).toBeGreaterThan(0.9999);
  });

  it('a model failure fails that batch only; the run goes on', async () => {
    let calls = 0;
    const encode = async (px: Float32Array[]) => {
      if (++calls === 2) throw new Error('out of memory');
      return model.encodeImages(px, px.length);
    };
    const { all, summary } = await run(g.images.map(file), { encode });
    expect(summary.errors).toBe(3);
    expect(all.filter((r) => !r.ok).map((r) => r.index)).toEqual([3, 4, 5]);
    for (const r of all.filter((x) => !x.ok)) expect((r as { error: string }).error).toBe('the model failed (out of memory)');
    expect(all.filter((r) => r.ok)).toHaveLength(6);
  });

  it('an error isFatal accepts ends the run (a lost GPU: the page restarts on WASM)', async () => {
    let calls = 0;
    const encode = async (px: Float32Array[]) => {
      if (++calls === 2) throw new Error('[webgpu-lost] device lost');
      return model.encodeImages(px, px.length);
    };
    const batches: number[] = [];
    await expect(
      embedImages(g.images.map(file), { model, decode: decodeImageNode, batchSize: 3, encode, isFatal: (e) => String(e).includes('[webgpu-lost]'), onBatch: (r) => void batches.push(r.length) }),
    ).rejects.toThrow('device lost');
    expect(batches).toEqual([3]);
  });

  it('with a cache, known images are not encoded again and come back identical', async () => {
    const store = new Map<string, Float32Array>();
    const cache = {
      getMany: async (hs: string[]) => hs.map((h) => store.get(h)),
      putMany: async (es: { hash: string; embedding: Float32Array }[]) => void es.forEach((e) => store.set(e.hash, e.embedding)),
    };
    const hash = async (b: Uint8Array) => Buffer.from(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>)).toString('hex');
    const first = await run(g.images.map(file), { cache, hash });
    expect(first.summary.computed).toBe(9);
    expect(store.size).toBe(9);
    let encoded = 0;
    const second = await run(
      [...g.images.map((n) => ({ ...file(n), read: undefined, hash: (first.all[g.images.indexOf(n)] as { hash: string }).hash })), { name: 'x.png', hash: 'unknown' }],
      { cache, hash, encode: async (px) => ((encoded += px.length), model.encodeImages(px)) },
    );
    expect(encoded).toBe(0);
    expect(second.summary).toMatchObject({ computed: 0, errors: 1 });
    expect((second.all[9] as { error: string }).error).toMatch(/not cached/);
    second.all.slice(0, 9).forEach((r, i) => expect((r as { embedding: Float32Array }).embedding).toEqual((first.all[i] as { embedding: Float32Array }).embedding));
  });

  it('stops after the batch in flight when cancelled', async () => {
    const ac = new AbortController();
    const { summary, batches } = await run(g.images.map(file), { signal: ac.signal, onBatch: () => ac.abort() });
    expect(batches).toEqual([]);
    expect(summary).toMatchObject({ done: 3, cancelled: true });
  });

  it('a read/decode stage run elsewhere (the decode worker in the browser) gives the same results, batch by batch', async () => {
    const items = [file(g.images[0]), { name: 'notes.png', read: async () => new TextEncoder().encode('not an image') }, ...g.images.slice(1).map(file)];
    const here = await run(items);
    const asked: [number, number][] = [];
    const preprocessor = loadPreprocessorConfig(model.preprocessorConfig);
    // what the decode worker does: prepareBatch over its copy of the batch's items, indexed like the run
    const elsewhere = await run(items, {
      prepare: async (start, end) => {
        asked.push([start, end]);
        const copy: ImageItem[] = [];
        items.slice(start, end).forEach((it, k) => (copy[start + k] = it));
        return prepareBatch(copy, start, end, { decode: decodeImageNode, preprocessor });
      },
    });
    expect(asked).toEqual([[0, 3], [3, 6], [6, 9], [9, 10]]);
    expect(elsewhere.summary).toEqual(here.summary);
    expect(elsewhere.all.map((r) => r.ok)).toEqual(here.all.map((r) => r.ok));
    elsewhere.all.forEach((r, i) => {
      if (r.ok) expect(r.embedding).toEqual((here.all[i] as { embedding: Float32Array }).embedding);
      else expect(r.error).toBe((here.all[i] as { error: string }).error);
    });
  });
});
