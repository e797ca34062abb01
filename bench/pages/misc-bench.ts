// Text encoding, preprocessing, search and CLIPSeg measurements in the worker.
import { AutoTokenizer, CLIPTextModelWithProjection, ImageProcessor, RawImage, Tensor } from '@huggingface/transformers';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { loadPreprocessorConfig, preprocess } from '../../src/clip/preprocess';
import { EmbeddingIndex } from '../../src/clip/search-rank';
import { loadClipSeg, segmentLogits, type SegDtype } from '../../src/segment/clipseg';
import { tokenizeClip } from '../../src/clip/tokenize';
import { withModelSource } from '../../src/runtime/model-source';
import { configureTf, hubBase } from './tf-env';
import { fakePixels, throughput } from './timing';

import { median, TEN_PROMPTS } from './misc-bench-shared';

export async function tfText(a: { model: string; dtype: 'fp32' | 'q8'; threads: number; seconds: number }) {
  configureTf(a.threads);
  const source = { kind: 'url' as const, baseUrl: hubBase(), id: a.model };
  const { tok, text } = await withModelSource(source, async () => ({
    tok: await AutoTokenizer.from_pretrained(a.model),
    text: await CLIPTextModelWithProjection.from_pretrained(a.model, { dtype: a.dtype, device: 'wasm' }),
  }));
  const t = tokenizeClip(tok, TEN_PROMPTS, 'longest');
  const dims = [t.count, t.length];
  const feeds = { input_ids: new Tensor('int64', t.inputIds, dims), attention_mask: new Tensor('int64', t.attentionMask, dims) };
  const tp = await throughput(() => text(feeds), TEN_PROMPTS.length, a.seconds);
  await text.dispose();
  return { ...tp, tokens: t.length };
}

/** Lab preprocessing (lossless decode + PIL-faithful resize) against transformers.js's canvas path. */
export async function preprocessBench(a: { model: string; urls: Record<string, string>; reps: number }) {
  const cfgJson = await (await fetch(`${hubBase()}${a.model}/resolve/main/preprocessor_config.json`)).json();
  const cfg = loadPreprocessorConfig(cfgJson);
  const tfProc = new ImageProcessor(cfgJson);
  const out: Record<string, Record<string, number>> = {};
  for (const [name, url] of Object.entries(a.urls)) {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const r = { decode_ms: [] as number[], preprocess_ms: [] as number[], lab_ms: [] as number[], canvas_ms: [] as number[] };
    for (let i = 0; i < a.reps; i++) {
      const t0 = performance.now();
      const img = await decodeImageBrowser(bytes, name);
      const t1 = performance.now();
      preprocess(img, cfg);
      const t2 = performance.now();
      // What the lab replaces: transformers.js decodes through createImageBitmap + a 2D canvas and
      // resizes on a canvas.
      const raw = await RawImage.fromBlob(new Blob([bytes], { type: 'image/jpeg' }));
      await tfProc(raw);
      const t3 = performance.now();
      r.decode_ms.push(t1 - t0); r.preprocess_ms.push(t2 - t1); r.lab_ms.push(t2 - t0); r.canvas_ms.push(t3 - t2);
    }
    out[name] = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)]));
  }
  return out;
}

export async function searchBench(a: { sizes: number[]; dim: number; queries: number }) {
  const out: Record<string, number | boolean> = {};
  for (const n of a.sizes) {
    const idx = EmbeddingIndex.from(fakePixels(n * a.dim, 7), a.dim);
    const q = fakePixels(a.dim, 9);
    idx.search(q, 10);
    const times: number[] = [];
    for (let i = 0; i < a.queries; i++) {
      q[i % a.dim] += 0.01;
      const t = performance.now();
      idx.search(q, 10);
      times.push(performance.now() - t);
    }
    out[`ms_${n}`] = median(times);
    out.simd = idx.usesSimd;
  }
  return out;
}

export async function clipsegBench(a: { model: string; dtype: SegDtype; threads: number; prompts: number[]; reps: number }) {
  configureTf(a.threads);
  const t0 = performance.now();
  const seg = await loadClipSeg({ kind: 'url', baseUrl: hubBase(), id: a.model }, { dtype: a.dtype, device: 'wasm' });
  const loadMs = performance.now() - t0;
  const pixels = fakePixels(3 * 352 * 352, 3).map((x) => x / 2);
  const out: Record<string, number> = { load_ms: loadMs };
  for (const p of a.prompts) {
    const prompts = TEN_PROMPTS.slice(0, p);
    await segmentLogits(seg, prompts, pixels);
    const times: number[] = [];
    for (let i = 0; i < a.reps; i++) {
      const t = performance.now();
      await segmentLogits(seg, prompts, pixels);
      times.push(performance.now() - t);
    }
    out[`ms_per_pair_${p}_prompts`] = median(times) / p;
  }
  await seg.model.dispose();
  return out;
}


/** Browser features that decide WASM speed. */
export function wasmFeatures() {
  // Minimal modules using one instruction each: v128 (SIMD) and relaxed SIMD.
  const simd = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  // i8x16.relaxed_swizzle (as wasm-feature-detect checks it)
  const relaxed = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11]);
  return {
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    simd: WebAssembly.validate(simd),
    relaxedSimd: WebAssembly.validate(relaxed),
    sharedMemory: typeof SharedArrayBuffer !== 'undefined',
  };
}
