/**
 * The device test's core on the tiny-random-clip fixture (onnxruntime-node, device 'cpu'): timings,
 * agreement with fp32, verdicts, the recommendation and the bench-shaped report; the BatchNorm-only
 * step on TF.js's wasm backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageTextModel, type ImageTextModel } from '../models';
import { goldenPixels, loadGolden, TINY_CLIP_DIR } from '../clip/testing/golden';
import {
  configId,
  deviceReport,
  judge,
  judgeTraining,
  measureModel,
  median,
  minCosine,
  planDeviceTest,
  recommend,
  threadCounts,
  type ConfigMeasurement,
  type DeviceConfig,
} from './device-test';
import { useBackend } from '../bnonly/backend';
import { nodeWasmDir } from '../bnonly/node-wasm';
import { timeBnStep } from '../bnonly/step-check';

describe('plan', () => {
  it('tries 1, 2, 4 ... threads up to the cores, one only when not isolated', () => {
    expect(threadCounts(2, true)).toEqual([1, 2]);
    expect(threadCounts(6, true)).toEqual([1, 2, 4, 6]);
    expect(threadCounts(8, false)).toEqual([1]);
  });

  it('starts with the reference, one group per runtime, WebGPU fp16 only with shader-f16', () => {
    const ids = (g: DeviceConfig[][]) => g.map((x) => x.map(configId));
    expect(ids(planDeviceTest({ webgpu: true, fp16: true, cores: 2, isolated: true }))).toEqual([
      ['wasm-fp32-t2', 'wasm-q8-t2'],
      ['wasm-fp32-t1', 'wasm-q8-t1'],
      ['webgpu-fp16', 'webgpu-fp32'],
    ]);
    expect(ids(planDeviceTest({ webgpu: true, fp16: false, cores: 4, isolated: false }))).toEqual([['wasm-fp32-t1', 'wasm-q8-t1'], ['webgpu-fp32']]);
    expect(ids(planDeviceTest({ webgpu: false, fp16: false, cores: 1, isolated: true }))).toEqual([['wasm-fp32-t1', 'wasm-q8-t1']]);
  });

  it('median and min cosine', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const a = Float32Array.from([1, 0, 0, 1]);
    expect(minCosine(a, Float32Array.from([1, 0, 1, 1]), 2)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(() => minCosine(a, Float32Array.from([1, 0]), 2)).toThrow(/cannot compare/);
  });
});

describe('on the tiny CLIP fixture (onnxruntime-node)', () => {
  const g = loadGolden();
  const pixels = g.images.slice(0, 3).map((i) => goldenPixels(i));
  const texts = ['a photo of a cat', 'a photo of a dog', 'a cup of coffee'];
  const models: ImageTextModel[] = [];
  const measured: ConfigMeasurement[] = [];

  beforeAll(async () => {
    for (const dtype of ['fp32', 'q8', 'fp16'] as const) {
      const config: DeviceConfig = { device: 'cpu', dtype, threads: 1 };
      const t0 = performance.now();
      const model = await loadImageTextModel({ kind: 'path', path: TINY_CLIP_DIR }, { device: 'cpu', dtype });
      models.push(model);
      const m = await measureModel(model, { pixels, texts, repeats: 3 });
      measured.push({ config, id: configId(config), load_s: (performance.now() - t0) / 1000, ...m });
    }
  }, 60_000);
  afterAll(async () => {
    for (const m of models) await m.dispose();
  });

  it('times every repetition after a warm-up, and keeps the embeddings', () => {
    for (const m of measured) {
      expect(m.image!.runs_ms).toHaveLength(3);
      expect(m.image!.items).toBe(3);
      expect(m.text!.items).toBe(3);
      expect(m.image!.median_ms).toBeGreaterThan(0);
      expect(m.image!.per_s).toBeCloseTo((3 * 1000) / m.image!.median_ms, 6);
      expect(m.imageEmbeds).toHaveLength(3 * m.dim!);
      expect(m.textEmbeds).toHaveLength(3 * m.dim!);
    }
  });

  it('fp32 is the reference, q8 and fp16 agree with it, a corrupted setting is wrong and never recommended', () => {
    const rows = judge(measured);
    expect(rows.map((r) => r.verdict)).toEqual(['reference', 'ok', 'ok']);
    expect(rows[0].min_cosine).toBeCloseTo(1, 6);
    expect(rows[1].min_cosine!).toBeGreaterThan(0.999);
    expect(rows[2].min_cosine!).toBeGreaterThan(0.9999);

    // A backend returning other numbers (flipped signs in half the dimensions), and one made fastest.
    const bad = measured[2];
    const flipped = bad.imageEmbeds!.map((v, i) => (i % 2 ? -v : v));
    const fastWrong: ConfigMeasurement = { ...bad, config: { device: 'webgpu', dtype: 'fp16', threads: 0 }, id: 'webgpu-fp16', imageEmbeds: flipped, image: { ...bad.image!, median_ms: 0.001 } };
    const rows2 = judge([...measured, fastWrong]);
    expect(rows2[3].verdict).toBe('wrong');
    expect(rows2[3].min_cosine!).toBeLessThan(0.9);
    const best = recommend(rows2, 1)!;
    expect(best.id).not.toBe('webgpu-fp16');
    expect(['cpu-fp32-t1', 'cpu-q8-t1', 'cpu-fp16-t1']).toContain(best.id);
    // the fastest correct one
    const ok = rows2.filter((r) => r.verdict !== 'wrong');
    expect(best.ms_per_image).toBe(Math.min(...ok.map((r) => r.ms_per_image!)));
    // a failed setting has no verdict of correctness
    const failed = judge([...measured, { config: { device: 'webgpu', dtype: 'fp32', threads: 0 }, id: 'webgpu-fp32', load_s: 0, error: 'no adapter' }]);
    expect(failed[3].verdict).toBe('failed');
    // settings the lab cannot apply (fewer WASM threads than it uses) are not offered
    expect(recommend(rows2, 4)).toBeUndefined();
  });

  it('writes a bench-shaped report', () => {
    const rows = judge(measured);
    const training = judgeTraining([
      { backend: 'wasm', ran: 'wasm', first_loss: 2.5, first_step_ms: 100, step_ms: 50 },
      { backend: 'webgl', ran: 'webgl', first_loss: 2.5001, first_step_ms: 300, step_ms: 25 },
      { backend: 'webgpu', ran: 'webgpu', first_loss: 3.1, first_step_ms: 300, step_ms: 10 },
    ]);
    expect(training.map((t) => t.verdict)).toEqual(['reference', 'ok', 'wrong']);
    const rep = JSON.parse(
      JSON.stringify(
        deviceReport({
          model: { label: 'tiny', family: 'clip', dim: measured[0].dim!, imageSize: 224 },
          probe: { webgpu: false, fp16: false, cores: 2, isolated: true },
          repeats: 3,
          images: ['a.png', 'b.png', 'c.png'],
          texts,
          rows,
          training,
          recommendation: recommend(rows, 1),
          cancelled: false,
          elapsed_s: 1,
          date: '2026-01-01',
        }),
      ),
    );
    expect(rep.schema).toBe('clip-lab/device-test@1');
    expect(rep.results.map((r: { name: string }) => r.name)).toEqual([
      'device.vision.cpu-fp32-t1',
      'device.text.cpu-fp32-t1',
      'device.vision.cpu-q8-t1',
      'device.text.cpu-q8-t1',
      'device.vision.cpu-fp16-t1',
      'device.text.cpu-fp16-t1',
      'device.train.wasm',
      'device.train.webgl',
      'device.train.webgpu',
    ]);
    expect(Object.keys(rep.ratios)).toEqual(expect.arrayContaining(['vision_cpu_q8_t1_vs_wasm_fp32', 'text_cpu_fp16_t1_vs_wasm_fp32', 'train_webgl_vs_wasm']));
    expect(rep.ratios.train_webgl_vs_wasm).toBe(2);
    expect(rep.runs['vision_cpu_q8_t1']).toHaveLength(3);
    expect(rep.recommendation.id).toBe(recommend(rows, 1)!.id);
  });
});

describe('BatchNorm-only step (TF.js wasm)', () => {
  it('gives the same first loss twice, finite, and times both steps', async () => {
    await useBackend('wasm', { wasmPaths: nodeWasmDir() });
    const a = await timeBnStep();
    const b = await timeBnStep();
    expect(a.backend).toBe('wasm');
    expect(Number.isFinite(a.first_loss)).toBe(true);
    expect(a.first_loss).toBeGreaterThan(0);
    expect(b.first_loss).toBe(a.first_loss);
    expect(a.step_ms).toBeGreaterThan(0);
    console.log(`tfjs wasm (node) BN step: first ${a.first_step_ms.toFixed(0)} ms, then ${a.step_ms.toFixed(0)} ms, loss ${a.first_loss}`);
  }, 60_000);
});
