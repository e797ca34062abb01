import { describe, expect, it } from 'vitest';
import { chooseBackend, probeWebGpu, wasmThreads } from './backend';

const adapter = (f16: boolean) => ({ features: { has: (f: string) => f16 && f === 'shader-f16' } });

describe('probeWebGpu', () => {
  it('reports a missing navigator.gpu, a null adapter and a throwing request with reasons', async () => {
    expect(await probeWebGpu(undefined)).toMatchObject({ webgpu: false, reason: expect.stringContaining('navigator.gpu') });
    expect(await probeWebGpu({ requestAdapter: async () => null })).toMatchObject({ webgpu: false, reason: 'no WebGPU adapter on this machine' });
    const r = await probeWebGpu({ requestAdapter: async () => Promise.reject(new Error('blocked')) });
    expect(r.reason).toContain('blocked');
  });
  it('sees shader-f16', async () => {
    expect(await probeWebGpu({ requestAdapter: async () => adapter(true) })).toEqual({ webgpu: true, fp16: true });
    expect(await probeWebGpu({ requestAdapter: async () => adapter(false) })).toEqual({ webgpu: true, fp16: false });
  });
});

describe('chooseBackend', () => {
  it('WebGPU fp16 with shader-f16, fp32 without, WASM q8 when there is no adapter (with the reason)', () => {
    expect(chooseBackend({ webgpu: true, fp16: true }, {}, 4)).toEqual({ device: 'webgpu', dtype: 'fp16', threads: 4 });
    expect(chooseBackend({ webgpu: true, fp16: false }, {}, 4)).toEqual({ device: 'webgpu', dtype: 'fp32', threads: 4 });
    expect(chooseBackend({ webgpu: false, fp16: false, reason: 'no WebGPU adapter on this machine' }, {}, 2)).toEqual({
      device: 'wasm',
      dtype: 'q8',
      threads: 2,
      fallbackReason: 'no WebGPU adapter on this machine',
    });
  });
  it('honours explicit device and dtype', () => {
    expect(chooseBackend({ webgpu: true, fp16: true }, { device: 'wasm' }, 1)).toEqual({ device: 'wasm', dtype: 'q8', threads: 1 });
    expect(chooseBackend({ webgpu: true, fp16: true }, { device: 'webgpu', dtype: 'fp32' }, 1)).toMatchObject({ device: 'webgpu', dtype: 'fp32' });
    expect(chooseBackend({ webgpu: false, fp16: false, reason: 'x' }, { device: 'webgpu', dtype: 'fp16' }, 1)).toMatchObject({ device: 'wasm', dtype: 'fp16', fallbackReason: 'x' });
  });
  it('uses every core only when cross-origin isolated', () => {
    expect(wasmThreads(true, 12)).toBe(12);
    expect(wasmThreads(false, 12)).toBe(1);
  });
});
