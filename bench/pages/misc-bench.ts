// Text encoding, preprocessing, search and CLIPSeg measurements in the worker.
import { AutoTokenizer, CLIPTextModelWithProjection, ImageProcessor, RawImage, Tensor } from '@huggingface/transformers';
import { browserReadPath, decodeImageBrowser } from '../../src/data/decode-browser';
import { loadPreprocessorConfig, preprocess } from '../../src/clip/preprocess';
import { EmbeddingIndex } from '../../src/clip/search-rank';
import { loadClipSeg, segmentLogits, type SegDtype } from '../../src/segment/clipseg';
import { tokenizeClip } from '../../src/models/clip/tokenize';
import { withModelSource } from '../../src/runtime/model-source';
import { configureTf, hubBase } from './tf-env';
import { fakePixels, throughput } from './timing';
import { decodeJpegBefore, preprocessBefore } from './preprocess-before';

import { median, TEN_PROMPTS } from './misc-bench-shared';
import { relaxedDotExact } from '../../src/runtime/ort-qgemm-probe';

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

/**
 * Lab preprocessing (lossless decode + PIL-faithful resize) against transformers.js's canvas path,
 * and against the lab's own code before the speed work (bench/pages/preprocess-before.ts). Each
 * variant runs as a block of reps (so the caller can read the renderer's CPU time over each block),
 * blocks alternating over `rounds` rounds so changing load hits all three alike. `identical` = 1
 * when the lab's pixels and pixel values equal the before-code's bit for bit.
 */
export async function preprocessBench(a: { model: string; urls: Record<string, string>; reps: number; rounds?: number }) {
  const cfgJson = await (await fetch(`${hubBase()}${a.model}/resolve/main/preprocessor_config.json`)).json();
  const cfg = loadPreprocessorConfig(cfgJson);
  const tfProc = new ImageProcessor(cfgJson);
  const rounds = a.rounds ?? 2;
  const per = Math.max(1, Math.ceil(a.reps / rounds));
  const out: Record<string, { ms: Record<string, number[]>; blocks: { variant: string; start: number; end: number; reps: number }[]; identical: number; readPath: string }> = {};
  const epoch = () => performance.timeOrigin + performance.now();
  for (const [name, url] of Object.entries(a.urls)) {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const ms: Record<string, number[]> = {};
    const push = (k: string, v: number) => (ms[k] ??= []).push(v);
    const blocks: { variant: string; start: number; end: number; reps: number }[] = [];
    // One untimed run of each first (JIT warm-up), and the equality check.
    const img = await decodeImageBrowser(bytes, name);
    const old = await decodeJpegBefore(bytes);
    const identical = sameFloats(img.data, old.data) && sameFloats(preprocess(img, cfg), preprocessBefore(old, cfg)) ? 1 : 0;
    const readPath = browserReadPath();
    await tfProc(await RawImage.fromBlob(new Blob([bytes], { type: 'image/jpeg' })));
    const variants: Record<string, () => Promise<void>> = {
      lab: async () => {
        const t0 = performance.now();
        const im = await decodeImageBrowser(bytes, name);
        const t1 = performance.now();
        preprocess(im, cfg);
        const t2 = performance.now();
        push('decode', t1 - t0); push('preprocess', t2 - t1); push('lab', t2 - t0);
      },
      // What the lab replaces: transformers.js decodes through createImageBitmap + a 2D canvas and resizes on a canvas.
      canvas: async () => {
        const t0 = performance.now();
        await tfProc(await RawImage.fromBlob(new Blob([bytes], { type: 'image/jpeg' })));
        push('canvas', performance.now() - t0);
      },
      before: async () => {
        const t0 = performance.now();
        const im = await decodeJpegBefore(bytes);
        const t1 = performance.now();
        preprocessBefore(im, cfg);
        const t2 = performance.now();
        push('before_decode', t1 - t0); push('before_preprocess', t2 - t1); push('before', t2 - t0);
      },
    };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? ['before', 'canvas', 'lab'] : ['lab', 'canvas', 'before'];
      for (const v of order) {
        const start = epoch();
        for (let i = 0; i < per; i++) await variants[v]();
        blocks.push({ variant: v, start, end: epoch(), reps: per });
      }
    }
    out[name] = { ms, blocks, identical, readPath };
  }
  return out;
}

function sameFloats(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
    // the startup check that decides whether q8 runs the lab's QGEMM (*.relaxed-dot.wasm) or MLAS's
    relaxedDotExact: relaxedDotExact(), // false without relaxed SIMD too
  };
}
