// Node side of preprocessing, search and CLIPSeg: the same src/ code as the browser worker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoProcessor, RawImage } from '@huggingface/transformers';
import { decodeImageNode } from '../src/data/decode-node';
import { loadPreprocessorConfig, preprocess } from '../src/clip/preprocess';
import { EmbeddingIndex } from '../src/clip/search-rank';
import { loadClipSeg, segmentLogits, type SegDtype } from '../src/segment/clipseg';
import { fakePixels } from './pages/timing';
import { preprocessBefore } from './pages/preprocess-before';
import { median, TEN_PROMPTS } from './pages/misc-bench-shared';

/** Lab decode+preprocess against transformers.js's own Node path (RawImage + CLIPImageProcessor). */
export async function nodePreprocess(modelDir: string, files: Record<string, string>, reps: number) {
  const cfgJson = JSON.parse(readFileSync(join(modelDir, 'preprocessor_config.json'), 'utf8'));
  const cfg = loadPreprocessorConfig(cfgJson);
  const tfProc = await AutoProcessor.from_pretrained(modelDir);
  const out: Record<string, Record<string, number>> = {};
  for (const [name, file] of Object.entries(files)) {
    const bytes = new Uint8Array(readFileSync(file));
    const r = { decode_ms: [] as number[], preprocess_ms: [] as number[], lab_ms: [] as number[], transformers_ms: [] as number[], before_preprocess_ms: [] as number[] };
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      const img = await decodeImageNode(bytes, name);
      const t1 = performance.now();
      preprocess(img, cfg);
      const t2 = performance.now();
      await tfProc(await RawImage.read(file));
      const t3 = performance.now();
      // The lab's resample before the speed work (bench/pages/preprocess-before.ts), same decoded image.
      preprocessBefore(img, cfg);
      const t4 = performance.now();
      r.decode_ms.push(t1 - t0); r.preprocess_ms.push(t2 - t1); r.lab_ms.push(t2 - t0); r.transformers_ms.push(t3 - t2); r.before_preprocess_ms.push(t4 - t3);
    }
    out[name] = { ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)])),
      ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/_ms$/, '_best_ms'), Math.min(...v)])) };
  }
  return out;
}

export function nodeSearch(sizes: number[], dim: number, queries: number) {
  const out: Record<string, number | boolean> = {};
  for (const n of sizes) {
    const idx = EmbeddingIndex.from(fakePixels(n * dim, 7), dim);
    const q = fakePixels(dim, 9);
    idx.search(q, 10);
    const times: number[] = [];
    for (let i = 0; i < queries; i++) {
      q[i % dim] += 0.01;
      const t = performance.now();
      idx.search(q, 10);
      times.push(performance.now() - t);
    }
    out[`ms_${n}`] = median(times);
    out.simd = idx.usesSimd;
  }
  return out;
}

export async function nodeClipseg(modelDir: string, dtype: SegDtype, prompts: number[], reps: number) {
  const t0 = performance.now();
  const seg = await loadClipSeg({ kind: 'path', path: modelDir }, { dtype, device: 'cpu' });
  const out: Record<string, number> = { load_ms: performance.now() - t0 };
  const pixels = fakePixels(3 * 352 * 352, 3).map((x) => x / 2);
  for (const p of prompts) {
    const ps = TEN_PROMPTS.slice(0, p);
    await segmentLogits(seg, ps, pixels);
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      await segmentLogits(seg, ps, pixels);
      times.push(performance.now() - t);
    }
    out[`ms_per_pair_${p}_prompts`] = median(times) / p;
  }
  await seg.model.dispose();
  return out;
}
