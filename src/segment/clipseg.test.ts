import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClipSeg, segmentLogits, tokenizePrompts, type ClipSeg, type SegDtype } from './clipseg';

const FIXTURE = resolve('e2e/fixtures/tiny-random-clipseg');
const GOLDEN = `${FIXTURE}/golden`;
const golden = JSON.parse(readFileSync(`${GOLDEN}/golden.json`, 'utf8')) as {
  prompts: string[];
  pairs: { image: string; input_ids: number[][]; logits_file: string }[];
};

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Fraction of pixels where both logits agree on the mask at threshold 0.5 (logit >= 0). */
function signAgreement(a: Float32Array, b: Float32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] >= 0 === b[i] >= 0) same++;
  return same / a.length;
}

/**
 * Measured on this fixture (onnxruntime-node 1.30 CPU; logits std ~65, range about +-500), vs golden:
 * max abs fp32 1.1e-3 / 2.1e-3 (chelsea / gradient), fp16 0.48 / 1.08, q8 18.9 / 33.5;
 * mask agreement at 0.5: fp32 1.0, fp16 0.99975 / 0.99966, q8 0.9903 / 0.9893. Bounds sit outside them.
 */
const BOUND: Record<SegDtype, number> = { fp32: 5e-3, fp16: 2, q8: 50 };
const MIN_AGREEMENT: Record<SegDtype, number> = { fp32: 0.99999, fp16: 0.999, q8: 0.98 };

describe('CLIPSeg on the tiny fixture, fed the golden pixel values', () => {
  const models: Partial<Record<SegDtype, ClipSeg>> = {};
  beforeAll(async () => {
    for (const dtype of ['fp32', 'fp16', 'q8'] as const) models[dtype] = await loadClipSeg({ kind: 'path', path: FIXTURE }, { dtype, device: 'cpu' });
  });

  it('tokenizes as the reference: padded to the longest prompt', () => {
    const t = tokenizePrompts(models.fp32!, golden.prompts);
    expect(t.input_ids.tolist().map((r) => (r as bigint[]).map(Number))).toEqual(golden.pairs[0].input_ids);
    expect(t.input_ids.dims).toEqual([2, 5]);
  });

  it('truncates prompts longer than 77 tokens, keeping the end-of-text token', () => {
    const t = tokenizePrompts(models.fp32!, ['cat '.repeat(120), 'a cat']);
    expect(t.input_ids.dims).toEqual([2, 77]);
    expect(t.input_ids.data[76]).toBe(49407n);
    expect(t.truncated).toEqual([true, false]);
  });

  it('carries the ViTImageProcessor config at 352x352', () => {
    expect(models.fp32!.preprocessorConfig).toMatchObject({ image_processor_type: 'ViTImageProcessor', size: { height: 352, width: 352 } });
  });

  for (const pair of golden.pairs) {
    for (const dtype of ['fp32', 'fp16', 'q8'] as const) {
      it(`${pair.image} ${dtype}: logits within ${BOUND[dtype]} of golden`, async () => {
        const logits = await segmentLogits(models[dtype]!, golden.prompts, f32(`${GOLDEN}/${pair.image}.pixel_values.f32`));
        const err = maxAbs(logits, f32(`${GOLDEN}/${pair.logits_file}`));
        const agree = signAgreement(logits, f32(`${GOLDEN}/${pair.logits_file}`));
        console.info(`MEASURED ${pair.image} ${dtype} max abs ${err.toExponential(3)} mask agreement ${agree.toFixed(6)}`);
        expect(err).toBeLessThanOrEqual(BOUND[dtype]);
        expect(agree).toBeGreaterThanOrEqual(MIN_AGREEMENT[dtype]);
      });
    }
  }

  it('one prompt alone gives the same logits as inside the batch', async () => {
    const pv = f32(`${GOLDEN}/chelsea.png.pixel_values.f32`);
    const both = await segmentLogits(models.fp32!, golden.prompts, pv);
    const second = await segmentLogits(models.fp32!, [golden.prompts[1]], pv);
    expect(maxAbs(second, both.subarray(352 * 352))).toBeLessThan(1e-3);
  });

  it('rejects pixel values of the wrong size and an empty prompt list', async () => {
    await expect(segmentLogits(models.fp32!, ['x'], new Float32Array(10))).rejects.toThrow(/pixel values/);
    await expect(segmentLogits(models.fp32!, [], new Float32Array(3 * 352 * 352))).rejects.toThrow(/no prompts/);
  });
});
