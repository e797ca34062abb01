import { describe, expect, it, vi } from 'vitest';
import { checkPixels, modelLoader, trackedLoad, type GpuSelfCheck } from './model-load';
import type { GpuVerdict } from '../../src/runtime/gpu-check';
import type { BackendChoice } from '../../src/runtime/backend';
import type { LoadRequest } from '../../src/runtime/model-protocol';
import type { LoadSnapshot } from '../../src/runtime/progress';

// (vi.mock is hoisted above the imports.) No onnxruntime in these tests, and a machine that claims a WebGPU adapter with fp16.
vi.mock('../../src/runtime/ort-env', () => ({ configureOrt: vi.fn() }));
vi.mock('../../src/runtime/backend', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/runtime/backend')>()),
  probeWebGpu: async () => ({ webgpu: true, fp16: true }),
}));
// Remembered verdicts in memory (no IndexedDB in Node); trustGpu itself is the real one (its own storage calls fail quietly here).
const remembered = new Map<string, GpuVerdict>();
const forgotten: string[] = [];
vi.mock('./gpu-trust', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./gpu-trust')>()),
  currentAdapterKey: async () => 'adapter',
  getVerdict: async (check: string) => remembered.get(check),
  forgetVerdicts: async (check: string) => {
    forgotten.push(check);
    remembered.delete(check);
  },
}));

// trustGpu reads the adapter from navigator (absent in Node 20).
vi.stubGlobal('navigator', { userAgent: 'node' });

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

describe('modelLoader: the WebGPU self-check', () => {
  interface Fake {
    device: string;
    dtype: string;
    fallbackReason?: string;
    info: { gpuCheck?: unknown };
  }
  /** A model whose fixed output is `gpuOut` on WebGPU and [1, 2, 3] on WASM; `wasmFp16` false: fp16 does not load on WASM. */
  function setup(gpuOut: number[], opts: { wasmFp16?: boolean } = {}) {
    const loads: string[] = [];
    const released: string[] = [];
    const check: GpuSelfCheck<Fake> = {
      kind: 'test-embed',
      run: async (m) => Float32Array.from(m.device === 'webgpu' ? gpuOut : [1, 2, 3]),
      release: async (m) => void released.push(`${m.device}/${m.dtype}`),
    };
    const loader = modelLoader<Fake>(
      async (_r, c) => {
        loads.push(`${c.device}/${c.dtype}`);
        if (c.device === 'wasm' && c.dtype === 'fp16' && opts.wasmFp16 === false) throw new Error('no fp16 kernel');
        return { device: c.device, dtype: c.dtype, fallbackReason: c.fallbackReason, info: {} };
      },
      async () => undefined,
      check,
    );
    return { loader, loads, released };
  }

  it('checkPixels is fixed and in the range of normalised pixels', () => {
    const a = checkPixels(8);
    expect(a).toHaveLength(3 * 64);
    expect(checkPixels(8)).toEqual(a);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1.8);
    expect(new Set(a).size).toBeGreaterThan(100);
  });

  it('a match keeps the WebGPU model; the WASM reference of the same precision is loaded and released', async () => {
    remembered.clear();
    const { loader, loads, released } = setup([1, 2, 3.0001]);
    const got = await loader.load(req, () => undefined);
    expect(got).toMatchObject({ device: 'webgpu', dtype: 'fp16', info: { gpuCheck: { ok: true, fresh: true } } });
    expect(got.fallbackReason).toBeUndefined();
    expect(loads).toEqual(['webgpu/fp16', 'wasm/fp16']);
    expect(released).toEqual(['wasm/fp16']);
  });

  it('a mismatch releases the WebGPU model and loads on WASM (q8 for auto), saying which value differed', async () => {
    remembered.clear();
    const { loader, loads, released } = setup([1, 2, 9]);
    const got = await loader.load(req, () => undefined);
    expect(loads).toEqual(['webgpu/fp16', 'wasm/fp16', 'wasm/q8']);
    expect(released).toEqual(['wasm/fp16', 'webgpu/fp16']);
    expect(got).toMatchObject({ device: 'wasm', dtype: 'q8', info: { gpuCheck: { ok: false, fresh: true, reason: 'output[2]: WebGPU 9, WASM 3' } } });
    expect(got.fallbackReason).toBe('WebGPU failed this browser’s self-check (output[2]: WebGPU 9, WASM 3)');
  });

  it('?gpuCheck=mismatch forces a failure on a matching GPU, and =match a pass on a wrong one', async () => {
    remembered.clear();
    const ok = setup([1, 2, 3]);
    const forced = await ok.loader.load({ ...req, gpuCheck: 'mismatch' }, () => undefined);
    expect(forced.device).toBe('wasm');
    expect(forced.fallbackReason).toContain('forced by ?gpuCheck=mismatch');
    const bad = setup([0, 0, 0]);
    expect((await bad.loader.load({ ...req, gpuCheck: 'match' }, () => undefined)).device).toBe('webgpu');
  });

  it('a WASM reference that cannot load fp16 is compared in fp32', async () => {
    remembered.clear();
    const { loader, loads } = setup([1, 2, 3], { wasmFp16: false });
    expect((await loader.load(req, () => undefined)).device).toBe('webgpu');
    expect(loads).toEqual(['webgpu/fp16', 'wasm/fp16', 'wasm/fp32']);
  });

  it('a remembered failure loads on WASM without checking; a remembered pass uses WebGPU; "check again" forgets it', async () => {
    remembered.clear();
    remembered.set('test-embed', { check: 'test-embed', key: 'adapter', ok: false, reason: 'output[0]: WebGPU 0, WASM 1', at: 0 });
    const a = setup([1, 2, 3]);
    const got = await a.loader.load(req, () => undefined);
    expect(a.loads).toEqual(['wasm/q8']);
    expect(got).toMatchObject({ device: 'wasm', info: { gpuCheck: { ok: false, fresh: false } } });
    expect(got.fallbackReason).toContain('self-check (output[0]: WebGPU 0, WASM 1)');

    remembered.set('test-embed', { check: 'test-embed', key: 'adapter', ok: true, at: 0 });
    const b = setup([9, 9, 9]);
    expect(await b.loader.load(req, () => undefined)).toMatchObject({ device: 'webgpu', info: { gpuCheck: { ok: true, fresh: false } } });
    expect(b.loads).toEqual(['webgpu/fp16']);

    const c = setup([9, 9, 9]);
    expect((await c.loader.load({ ...req, recheckGpu: true }, () => undefined)).device).toBe('wasm');
    expect(forgotten).toContain('test-embed');
    expect(c.loads).toEqual(['webgpu/fp16', 'wasm/fp16', 'wasm/q8']);
  });

  it('WASM asked for: no check', async () => {
    remembered.clear();
    const { loader, loads } = setup([9, 9, 9]);
    expect(await loader.load({ ...req, device: 'wasm' }, () => undefined)).toMatchObject({ device: 'wasm', info: {} });
    expect(loads).toEqual(['wasm/q8']);
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
