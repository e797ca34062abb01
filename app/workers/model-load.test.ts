import { describe, expect, it, vi } from 'vitest';
import { modelLoader, trackedLoad } from './model-load';
import type { BackendChoice } from '../../src/runtime/backend';
import type { LoadRequest } from '../../src/runtime/model-protocol';
import type { LoadSnapshot } from '../../src/runtime/progress';

// (vi.mock is hoisted above the imports.) No onnxruntime in these tests, and a machine that claims a WebGPU adapter with fp16.
vi.mock('../../src/runtime/ort-env', () => ({ configureOrt: vi.fn() }));
vi.mock('../../src/runtime/backend', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/runtime/backend')>()),
  probeWebGpu: async () => ({ webgpu: true, fp16: true }),
}));


const req: LoadRequest = { source: { kind: 'hub', id: 'org/m' }, device: 'auto', dtype: 'auto', siteBase: 'http://site/' };

describe('modelLoader', () => {
  it('retries on WASM (q8 for auto) with the reason when WebGPU fails to start', async () => {
    const choices: BackendChoice[] = [];
    const dispose = vi.fn(async () => undefined);
    const loader = modelLoader(async (_r, choice) => {
      choices.push(choice);
      if (choice.device === 'webgpu') throw new Error('out of memory');
      return choice;
    }, dispose);
    const got = await loader.load(req, () => undefined);
    expect(choices.map((c) => [c.device, c.dtype])).toEqual([
      ['webgpu', 'fp16'],
      ['wasm', 'q8'],
    ]);
    expect(got.fallbackReason).toBe('WebGPU failed (out of memory)');
    expect(dispose).toHaveBeenCalledTimes(1);
  });

  it('keeps an asked precision on the WASM retry, and does not retry a WASM failure', async () => {
    const wasmFails = modelLoader(async () => Promise.reject(new Error('bad weights')), async () => undefined);
    await expect(wasmFails.load({ ...req, device: 'wasm' }, () => undefined)).rejects.toThrow('bad weights');
    const seen: string[] = [];
    const loader = modelLoader(async (_r, c) => {
      seen.push(`${c.device}/${c.dtype}`);
      if (c.device === 'webgpu') throw new Error('x');
      return c;
    }, async () => undefined);
    await loader.load({ ...req, dtype: 'fp32' }, () => undefined);
    expect(seen).toEqual(['webgpu/fp32', 'wasm/fp32']);
  });

  it('a new load aborts the one in progress, which then fails without a WASM retry', async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const loader = modelLoader(
      (_r, c, _p, signal) =>
        new Promise<BackendChoice>((resolve, reject) => {
          calls++;
          signals.push(signal);
          signal.addEventListener('abort', () => reject(new Error('aborted')));
          if (signals.length > 1) resolve(c);
        }),
      async () => undefined,
    );
    const first = loader.load(req, () => undefined);
    await vi.waitFor(() => expect(signals.length).toBe(1));
    const second = loader.load(req, () => undefined);
    await expect(first).rejects.toThrow('aborted');
    await expect(second).resolves.toMatchObject({ device: 'webgpu' });
    expect(signals[0].aborted).toBe(true);
    expect(calls).toBe(2);
  });
});

describe('trackedLoad', () => {
  it('sends a snapshot at most every 100 ms, always when a file is done, and once at the end', async () => {
    const choice: BackendChoice = { device: 'wasm', dtype: 'q8', threads: 4, fallbackReason: 'no adapter' };
    const sent: LoadSnapshot[] = [];
    const { model, info } = await trackedLoad(choice, (s) => sent.push(s), async (onEvent) => {
      // All within a few ms: only the first progress event passes the throttle.
      onEvent({ status: 'progress', file: 'a.onnx', loaded: 10, total: 100 });
      onEvent({ status: 'progress', file: 'a.onnx', loaded: 50, total: 100 });
      onEvent({ status: 'progress', file: 'b.json', loaded: 5, total: 20 });
      onEvent({ status: 'done', file: 'a.onnx' });
      onEvent({ status: 'initiate' }); // no file: ignored
      return { label: 'org/m' };
    });
    expect(model.label).toBe('org/m');
    expect(sent.map((s) => [s.loaded, s.total])).toEqual([
      [10, 100],
      [105, 120],
      [105, 120],
    ]);
    expect(info).toMatchObject({ label: 'org/m', device: 'wasm', dtype: 'q8', threads: 4, fallbackReason: 'no adapter' });
    expect(info.seconds).toBeGreaterThanOrEqual(0);
  });
});
