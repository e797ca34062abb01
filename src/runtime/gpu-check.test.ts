import { describe, expect, it } from 'vitest';
import { adapterKey, compareProbes, describeMismatch, EMBEDDING_TOLERANCE, forcedVerdict, TRAINING_TOLERANCE, type ProbeFigures } from './gpu-check';

// The figures measured on SwiftShader (e2e/gpu-check.spec.ts): WebGPU read with data() against WASM.
const wasm: ProbeFigures = { loss: 2.336495876312256, grads: { 'stem.conv': [0.005879086907953024, 0.003480300074443221, 0.169918492436409], 'fc.w': [-0.0052203042432665825, 0.010991638526320457, -0.0016583208926022053] } };
const gpu: ProbeFigures = { loss: 2.336495876312256, grads: { 'stem.conv': [0.005879091564565897, 0.003480303566902876, 0.1699187010526657], 'fc.w': [-0.005220301449298859, 0.010991633869707584, -0.0016583215910941362] } };
// ...and the same step read with dataSync(): all zeros
const zeros: ProbeFigures = { loss: 0, grads: { 'stem.conv': [0, 0, 0], 'fc.w': [0, 0, 0] } };

describe('compareProbes', () => {
  it('accepts float32 differences between backends', () => {
    const c = compareProbes(gpu, wasm, TRAINING_TOLERANCE);
    expect(c.ok).toBe(true);
    expect(c.worstRatio).toBeLessThan(0.01);
  });

  it('rejects the zero readback, naming the loss', () => {
    const c = compareProbes(zeros, wasm, TRAINING_TOLERANCE);
    expect(c.ok).toBe(false);
    expect(c.mismatch?.what).toBe('loss');
    expect(describeMismatch(c.mismatch!)).toBe('loss: WebGPU 0, WASM 2.336');
  });

  it('rejects one wrong gradient entry beyond tolerance, and accepts it within', () => {
    const off = (d: number): ProbeFigures => ({ ...gpu, grads: { ...gpu.grads, 'fc.w': gpu.grads['fc.w'].map((v, i) => (i === 1 ? v + d : v)) } });
    // allowed for fc.w[1]: atol 1e-3 * max|fc.w| (1.1e-5) + rtol 1e-2 * |0.011| (1.1e-4) = 1.21e-4
    expect(compareProbes(off(1e-4), wasm, TRAINING_TOLERANCE).ok).toBe(true);
    const c = compareProbes(off(2e-4), wasm, TRAINING_TOLERANCE);
    expect(c.ok).toBe(false);
    expect(c.mismatch?.what).toBe('fc.w[1]');
  });

  it('treats NaN, Infinity, a missing vector or a wrong length as a mismatch', () => {
    expect(compareProbes({ ...gpu, loss: NaN }, wasm, TRAINING_TOLERANCE).ok).toBe(false);
    expect(compareProbes({ ...gpu, grads: { ...gpu.grads, 'fc.w': [Infinity, 0, 0] } }, wasm, TRAINING_TOLERANCE).ok).toBe(false);
    expect(compareProbes({ ...gpu, grads: { 'stem.conv': gpu.grads['stem.conv'] } }, wasm, TRAINING_TOLERANCE).mismatch?.what).toBe('fc.w.length');
    expect(compareProbes({ ...gpu, grads: { ...gpu.grads, 'fc.w': [1] } }, wasm, TRAINING_TOLERANCE).ok).toBe(false);
    expect(compareProbes(gpu, { ...wasm, loss: NaN }, TRAINING_TOLERANCE).ok).toBe(false);
  });

  it('the embedding tolerance is looser (fp16 against q8) but still catches a zero output', () => {
    const ref: ProbeFigures = { loss: 1, grads: { embedding: [0.5, -0.25, 0.8] } };
    expect(compareProbes({ loss: 1.01, grads: { embedding: [0.51, -0.26, 0.79] } }, ref, EMBEDDING_TOLERANCE).ok).toBe(true);
    expect(compareProbes({ loss: 0, grads: { embedding: [0, 0, 0] } }, ref, EMBEDDING_TOLERANCE).ok).toBe(false);
  });
});

describe('forcedVerdict (the ?gpuCheck= test hook)', () => {
  it('forces either outcome and leaves it alone otherwise', () => {
    const real = compareProbes(gpu, wasm, TRAINING_TOLERANCE);
    expect(forcedVerdict('mismatch', real)).toMatchObject({ ok: false, mismatch: { what: expect.stringContaining('forced') } });
    expect(forcedVerdict('match', compareProbes(zeros, wasm, TRAINING_TOLERANCE)).ok).toBe(true);
    expect(forcedVerdict(undefined, real)).toBe(real);
  });
});

describe('adapterKey (what a verdict is remembered under)', () => {
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36';
  it('names the adapter and the browser version', () => {
    expect(adapterKey({ vendor: 'google', architecture: 'swiftshader', device: '', description: '' }, ua)).toBe('google|swiftshader|||Chrome/156.0.0.0');
  });
  it('changes with the driver description or the browser version, so either update checks again', () => {
    const a = adapterKey({ vendor: 'nvidia', architecture: 'ampere', description: 'driver 550.1' }, ua);
    expect(adapterKey({ vendor: 'nvidia', architecture: 'ampere', description: 'driver 555.2' }, ua)).not.toBe(a);
    expect(adapterKey({ vendor: 'nvidia', architecture: 'ampere', description: 'driver 550.1' }, ua.replace('156.0.0.0', '157.0.0.0'))).not.toBe(a);
    expect(adapterKey({ vendor: 'nvidia', architecture: 'ampere', description: 'driver 550.1' }, ua)).toBe(a);
  });
  it('works without adapter info', () => {
    expect(adapterKey(undefined, 'Firefox/140.0')).toBe('||||Firefox/140.0');
  });
});
