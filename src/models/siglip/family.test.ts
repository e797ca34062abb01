/**
 * Parity of the SigLIP family with the reference (PyTorch, following HF's modeling_siglip.py) on the
 * tiny-random-siglip fixture (see e2e/fixtures/tiny-random-siglip/SOURCE.md), onnxruntime-node CPU.
 */
import { readFileSync } from 'node:fs';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageTextModel, type ImageTextModel } from '..';
import { agreement } from '../../clip/testing/golden';
import { loadPreprocessorConfig, preprocess } from '../../clip/preprocess';
import { decodeImageNode } from '../../data/decode-node';
import { scoreImages } from '../../clip/zeroshot';
import { sigmoid } from '../scoring';
import { fitScaleBias } from './calibrate';
import { canonicalizeSiglip, tokenizeSiglip } from './tokenize';
import { loadSiglipGolden, SIGLIP_GOLDEN_DIR, siglipGoldenPixels, TINY_SIGLIP_DIR } from './testing/golden';

const g = loadSiglipGolden();
const GOLDEN = SIGLIP_GOLDEN_DIR;
const goldenPixels = siglipGoldenPixels;
const PER = 3 * 224 * 224;
const pixels = new Float32Array(g.images.length * PER);
g.images.forEach((im, i) => pixels.set(goldenPixels(im), i * PER));

describe('SigLIP tokenization', () => {
  let tok: PreTrainedTokenizer;
  beforeAll(async () => {
    tok = await AutoTokenizer.from_pretrained(TINY_SIGLIP_DIR);
  });

  it('canonicalises as SiglipTokenizer does: lower case, no punctuation, one space', () => {
    expect(canonicalizeSiglip('  An astronaut, with   a Coffee-cup. ')).toBe('an astronaut with a coffeecup');
  });

  it('matches the golden input_ids: </s> appended, padded to 64 with the pad id, long text cut keeping </s>', () => {
    const t = tokenizeSiglip(tok, g.texts);
    expect(t.length).toBe(64);
    const rows = g.texts.map((_, i) => Array.from(t.inputIds.subarray(i * 64, (i + 1) * 64), Number));
    expect(rows).toEqual(g.input_ids);
    expect(rows[0].slice(0, 7)).toEqual([3, 11, 4, 3, 23, 1, 1]);
    expect(rows[2]).toEqual(rows[1]); // "A photo of a Dog!" = "a photo of a dog"
    expect(t.truncated).toEqual([false, false, false, false, false, true]);
    expect(rows[5][63]).toBe(1);
  });
});

describe.each(['fp32', 'fp16', 'q8'] as const)('SigLIP split models, %s', (dtype) => {
  // fp32 from the issue (logits 1e-3). fp16 / q8 measured by the fixture's verify script
  // (logits max abs 1.9e-2 / 0.62; see SOURCE.md) and set about 3x above.
  const tol = { fp32: { raw: 2e-4, logits: 1e-3 }, fp16: { raw: 0.2, logits: 0.06 }, q8: { raw: 3, logits: 2 } }[dtype];
  let m: ImageTextModel;
  beforeAll(async () => {
    m = await loadImageTextModel({ kind: 'path', path: TINY_SIGLIP_DIR }, { dtype, device: 'cpu' });
  });
  afterAll(async () => m?.dispose());

  it('is the SigLIP family with the sigmoid scoring read from model.onnx (not a constant)', () => {
    expect(m.family).toBe('siglip');
    expect(m.contextLength).toBe(64);
    expect(m.scoring.kind).toBe('sigmoid');
    expect(Math.abs(m.scoring.scale - g.logit_scale)).toBeLessThan(1e-4);
    expect(Math.abs(m.scoring.bias - g.logit_bias)).toBeLessThan(1e-4);
  });

  it('text and vision pooler outputs reproduce the golden ones', async () => {
    expect(agreement(await m.rawTextEmbeds(g.texts), g.text_pooler_output).maxAbs).toBeLessThanOrEqual(tol.raw);
    expect(agreement(await m.rawImageEmbeds(pixels, g.images.length), g.vision_pooler_output).maxAbs).toBeLessThanOrEqual(tol.raw);
  });

  it('zero-shot logits match logits_per_image and probabilities are sigmoids of them', async () => {
    const te = await m.encodeTexts(g.texts);
    const ie = await m.encodeImages(pixels, 3);
    const classes = { labels: g.texts, embeds: te.embeds, dim: m.dim, truncatedPrompts: [] };
    const scores = scoreImages(ie, classes, m.scoring);
    const err = Math.max(...scores.flatMap((s, i) => s.logits.map((l, t) => Math.abs(l - g.logits_per_image[i][t]))));
    expect(err).toBeLessThanOrEqual(tol.logits);
    for (const s of scores) s.probs.forEach((p, k) => expect(Math.abs(p - sigmoid(s.logits[k]))).toBeLessThan(1e-12));
  });
});

describe('SigLIP preprocessing', () => {
  it('SiglipImageProcessor: 224x224 bicubic without crop, mean/std 0.5, equals the reference pixels', async () => {
    const cfg = loadPreprocessorConfig(JSON.parse(readFileSync(`${TINY_SIGLIP_DIR}/preprocessor_config.json`, 'utf8')));
    expect(cfg.doCenterCrop).toBe(false);
    for (const im of g.images) {
      const px = preprocess(await decodeImageNode(new Uint8Array(readFileSync(`${GOLDEN}/${im}`)), im), cfg);
      const ref = goldenPixels(im);
      let maxAbs = 0;
      for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(px[i] - ref[i]));
      // PIL-exact resampling: identical to the reference's float32 pixels up to float rounding.
      expect(maxAbs, im).toBeLessThan(1e-6);
    }
  });
});

describe('fitScaleBias', () => {
  it('recovers scale and bias from exact pairs and refuses equal cosines', () => {
    const cos = [0.1, -0.3, 0.7];
    const f = fitScaleBias(cos, cos.map((c) => 117.3 * c - 12.9));
    expect(f.scale).toBeCloseTo(117.3, 9);
    expect(f.bias).toBeCloseTo(-12.9, 9);
    expect(() => fitScaleBias([0.2, 0.2], [1, 1])).toThrow(/equal cosines/);
  });
});
