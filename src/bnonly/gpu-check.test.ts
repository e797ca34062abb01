import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend';
import { subset } from '../data/dataset';
import { loadFashionMnist } from './node-data';
import { nodeWasmDir } from './node-wasm';
import { PROBE_GRADS, trainingProbe } from './gpu-check';
import { DEFAULT_CONFIG, Run, initialParams } from './trainer';
import { compareProbes, TRAINING_TOLERANCE } from '../runtime/gpu-check';

beforeAll(async () => {
  await useBackend('wasm', { wasmPaths: nodeWasmDir() });
});

describe('the GPU self-check probe (WASM side)', () => {
  it('is one fixed training step: finite, repeatable, every probed gradient non-zero', async () => {
    const a = await trainingProbe();
    const b = await trainingProbe();
    expect(a.loss).toBeGreaterThan(1);
    expect(Object.keys(a.grads)).toEqual([...PROBE_GRADS]);
    for (const g of Object.values(a.grads)) {
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g.some((v) => v !== 0)).toBe(true);
    }
    expect(compareProbes(b, a, TRAINING_TOLERANCE)).toMatchObject({ ok: true, worstRatio: 0 });
  });
});

describe('Run.trainStepAsync', () => {
  it('gives the same steps as trainStep (the worker reads asynchronously, the CLI synchronously)', async () => {
    const data = loadFashionMnist();
    const train = subset(data.train, 64);
    const cfg = { ...DEFAULT_CONFIG, depth: 8, width: 4, steps: 3, batch: 16 };
    const params = initialParams(cfg, train);
    const sync = new Run('bn', params, cfg, train);
    const async_ = new Run('bn', params, cfg, train);
    for (let s = 0; s < 3; s++) expect(await async_.trainStepAsync()).toEqual(sync.trainStep());
    expect(await async_.evaluateAsync(train)).toBe(sync.evaluate(train));
    const e1 = sync.embed(train);
    const e2 = await async_.embedAsync(train);
    expect(e2.features).toEqual(e1.features);
    expect(e2.classVectors).toEqual(e1.classVectors);
    expect(async_.frozenUnchanged(await async_.net.snapshotAsync())).toBe(true);
    sync.dispose();
    async_.dispose();
  }, 60_000);
});
