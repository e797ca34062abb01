/**
 * Parity of decode + preprocess with the reference (Hugging Face load_image + slow PIL image
 * processors) on every golden image, and on the PIL-generated cases in src/data/testdata.
 * Bars from issue 3 (for browsers): lossless MAE <= 0.001 and max <= 0.02, JPEG <= 0.006 / 0.1. In Node
 * every case is exact: the TS path (PNG/BMP/GIF decode + resample) is deterministic and JPEG decodes with
 * sharp's libjpeg-turbo, as PIL does, so the assertions are max 0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageNode } from '../data/decode-node';
import {
  centerCrop,
  loadPreprocessorConfig,
  outputShape,
  preprocess,
  PreprocessorConfigError,
  resizeRgb,
  resizeTarget,
  type PreprocessorConfig,
} from './preprocess';

const FIX = 'e2e/fixtures';
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const CLIP = loadPreprocessorConfig(readJson(`${FIX}/tiny-random-clip/preprocessor_config.json`));
const VIT = loadPreprocessorConfig(readJson(`${FIX}/tiny-random-clipseg/preprocessor_config.json`));

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  const out = new Float32Array(b.byteLength / 4);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = v.getFloat32(i * 4, true);
  return out;
}

function errors(a: Float32Array, ref: Float32Array): { mae: number; max: number } {
  expect(a.length).toBe(ref.length);
  let s = 0;
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(a[i] - ref[i]);
    s += d;
    if (d > m) m = d;
  }
  return { mae: s / ref.length, max: m };
}

const goldenSets: [string, PreprocessorConfig][] = [
  [`${FIX}/tiny-random-clip/golden`, CLIP],
  [`${FIX}/preprocess-golden`, CLIP],
  [`${FIX}/tiny-random-clipseg/golden`, VIT],
];

describe('golden pixel values (Node)', () => {
  const report: string[] = [];
  for (const [dir, cfg] of goldenSets) {
    const images = readdirSync(dir).filter((f) => /\.(png|jpe?g|bmp|gif|webp)$/i.test(f));
    for (const f of images) {
      it(`${dir.split('/').slice(-2).join('/')}/${f}`, async () => {
        const img = await decodeImageNode(readFileSync(join(dir, f)), f);
        const out = preprocess(img, cfg);
        expect(outputShape(img, cfg)).toEqual(cfg === VIT ? [3, 352, 352] : [3, 224, 224]);
        const { mae, max } = errors(out, f32(join(dir, `${f}.pixel_values.f32`)));
        report.push(`${f}: MAE ${mae.toExponential(2)} max ${max.toExponential(2)}`);
        // Bit-exact for every golden, JPEG included: PNG/BMP/GIF decode + resample are deterministic TS, and
        // in Node JPEG goes through sharp's libjpeg-turbo, the decoder PIL uses (measured max 0 on all three
        // JPEGs). The issue-3 bars (lossless MAE <= 0.001 / max <= 0.02, JPEG 0.006 / 0.1) are for browsers.
        expect(mae).toBe(0);
        expect(max).toBe(0);
      });
    }
  }
  it('report', () => {
    console.error(`golden parity (Node):\n  ${report.join('\n  ')}`);
    expect(report.length).toBe(18);
  });
});

describe('PIL-generated cases (src/data/testdata/pil-reference)', () => {
  const dir = 'src/data/testdata/pil-reference';
  // reference: 'pil' = PIL's own output; 'project-formula' = the project's documented formula on PIL's
  // decoded samples where it deliberately differs from PIL, with `why` (generate.py writes both).
  const manifest = readJson(`${dir}/manifest.json`) as {
    cases: { image: string; ref: string; config: 'clip32' | 'vit40'; resample?: number; reference: 'pil' | 'project-formula'; why?: string }[];
  };
  const clip32 = loadPreprocessorConfig({
    ...readJson(`${FIX}/tiny-random-clip/preprocessor_config.json`),
    size: { shortest_edge: 32 },
    crop_size: { height: 32, width: 32 },
  });
  const vit40 = loadPreprocessorConfig({
    ...readJson(`${FIX}/tiny-random-clipseg/preprocessor_config.json`),
    size: { height: 40, width: 40 },
  });
  it('has the expected cases', () => expect(manifest.cases.length).toBe(44));
  it('says which expected outputs are PIL\'s own and which the project\'s formula, and why', () => {
    for (const c of manifest.cases) expect(['pil', 'project-formula'], c.ref).toContain(c.reference);
    const formula = manifest.cases.filter((c) => c.reference === 'project-formula');
    expect(formula.map((c) => c.image)).toEqual(['cmyk.jpg', 'gray16.png']);
    for (const c of formula) expect(c.why?.length ?? 0, `${c.image}: why`).toBeGreaterThan(40);
    for (const c of manifest.cases.filter((c) => c.reference === 'pil')) expect(c.why, c.image).toBeUndefined();
  });
  for (const c of manifest.cases) {
    // The name says what the expected output is: parity with PIL, or with the project's own formula.
    it(`${c.ref} (${c.reference === 'pil' ? 'PIL output' : 'project formula, not PIL'})`, async () => {
      let cfg = c.config === 'vit40' ? vit40 : clip32;
      if (c.resample !== undefined) cfg = { ...cfg, resample: c.resample as PreprocessorConfig['resample'] };
      const img = await decodeImageNode(readFileSync(join(dir, c.image)), c.image);
      const { mae, max } = errors(preprocess(img, cfg), f32(join(dir, c.ref)));
      // Bit-exact for every case, JPEG included (in Node, sharp's libjpeg-turbo = PIL's: measured max 0).
      expect(mae).toBe(0);
      expect(max).toBe(0);
    });
  }
});

describe('resize and crop arithmetic', () => {
  it('shortest edge: long side int(224 * long / short)', () => {
    expect(resizeTarget(301, 225, CLIP)).toEqual({ width: 299, height: 224 });
    expect(resizeTarget(226, 403, CLIP)).toEqual({ width: 224, height: 399 });
    expect(resizeTarget(50, 80, CLIP)).toEqual({ width: 224, height: 358 });
    expect(resizeTarget(1, 1, CLIP)).toEqual({ width: 224, height: 224 });
    expect(resizeTarget(640, 480, VIT)).toEqual({ width: 352, height: 352 });
  });
  it('center crop uses floor offsets', () => {
    const img = { width: 5, height: 4, data: new Uint8Array(60).map((_, i) => Math.floor(i / 3)) };
    const c = centerCrop(img, 2, 2); // top = 1, left = 1
    expect(Array.from(c.data.filter((_, i) => i % 3 === 0))).toEqual([6, 7, 11, 12]);
  });
  it('center crop pads with zeros when the image is smaller', () => {
    const img = { width: 1, height: 1, data: new Uint8Array([9, 9, 9]) };
    const c = centerCrop(img, 3, 2); // padded 2x3 canvas, image at top 1, left 1 (ceil)
    expect([c.width, c.height]).toEqual([2, 3]);
    expect(Array.from(c.data.filter((_, i) => i % 3 === 0))).toEqual([0, 0, 0, 9, 0, 0]);
  });
  it('resizing to the same size is a copy; 1x1 upscales to a flat image', () => {
    const one = { width: 1, height: 1, data: new Uint8Array([10, 20, 30]) };
    const big = resizeRgb(one, 7, 3, 3);
    expect(big.data.length).toBe(63);
    expect(new Set(big.data).size).toBe(3);
    expect(preprocess(one, CLIP).length).toBe(3 * 224 * 224);
  });
});

describe('loadPreprocessorConfig', () => {
  it('reads the CLIP and ViT configs', () => {
    expect(CLIP).toMatchObject({ processorType: 'CLIPImageProcessor', resample: 3, doCenterCrop: true });
    expect(CLIP.size).toEqual({ kind: 'shortest_edge', shortestEdge: 224 });
    expect(VIT).toMatchObject({ processorType: 'ViTImageProcessor', resample: 2, doCenterCrop: false });
    expect(VIT.size).toEqual({ kind: 'exact', height: 352, width: 352 });
    expect(VIT.imageMean).toEqual([0.485, 0.456, 0.406]);
  });
  it('accepts legacy int sizes and JSON text', () => {
    const c = loadPreprocessorConfig(JSON.stringify({ feature_extractor_type: 'CLIPFeatureExtractor', size: 224, crop_size: 224 }));
    expect(c.size).toEqual({ kind: 'shortest_edge', shortestEdge: 224 });
    expect(c.cropSize).toEqual({ height: 224, width: 224 });
    expect(loadPreprocessorConfig({ image_processor_type: 'ViTImageProcessor', size: 384 }).size).toEqual({
      kind: 'exact',
      height: 384,
      width: 384,
    });
  });
  it('rejects wrong configs with a message', () => {
    expect(() => loadPreprocessorConfig('{not json')).toThrow(PreprocessorConfigError);
    expect(() => loadPreprocessorConfig({ image_processor_type: 'DonutImageProcessor' })).toThrow(/unsupported image processor/);
    expect(() => loadPreprocessorConfig({ image_processor_type: 'CLIPImageProcessor', image_std: [0, 1, 1] })).toThrow(/image_std/);
    expect(() => loadPreprocessorConfig({ image_processor_type: 'CLIPImageProcessor', size: { shortest_edge: -1 } })).toThrow(
      /shortest_edge/,
    );
    expect(() => loadPreprocessorConfig({ image_processor_type: 'CLIPImageProcessor', resample: 9 })).toThrow(/resample/);
  });
});
