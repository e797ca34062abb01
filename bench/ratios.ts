// The ratios, computed from a run's repetitions and results (also runnable on a saved JSON:
// `npx tsx bench/ratios.ts docs/benchmarks/quick.json` recomputes its "ratios", "ratio_ranges"
// and "variants" in place).
//
// Headlines (`ratios`) come only from alternating timed pairs (`runs`): each repetition gives one
// ratio, the headline is their MEDIAN and `ratio_ranges` keeps min/max/n beside it.
// - wasm_vs_native_<dtype>: the lab's own vision session (src/models, as the CLIP worker loads it)
//   / onnxruntime-node, same ONNX file, same thread count, img/s (runs.vision_<dtype>);
// - pipeline_vs_naive / pipeline_vs_batched: transformers.js zero-shot pipeline per image / 8 per
//   call, classify time divided by the shipped lab's (runs.pipeline; same files, same threads).
// Anything else (raw onnxruntime-web sessions, transformers.js's model class used directly, the
// prototype pipeline, best-of figures) goes under `variants`, never a headline.
import { GFLOP_PER_IMAGE, NATIVE_CEILING_GFLOPS, round, type Result } from './report';
import { median } from './pages/misc-bench-shared';

export interface Range { median: number; min: number; max: number; n: number }
type Runs = Record<string, Record<string, unknown>[]>;

export function spread(values: number[]): Range | undefined {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  if (!v.length) return undefined;
  return { median: round(median(v), 3), min: round(Math.min(...v), 3), max: round(Math.max(...v), 3), n: v.length };
}

export function computeRatios(results: Result[], cores: number, keep: Record<string, number> = {}, runs: Runs = {}):
  { ratios: Record<string, number>; ranges: Record<string, Range>; variants: Record<string, number> } {
  const ratios: Record<string, number> = {};
  const ranges: Record<string, Range> = {};
  const variants: Record<string, number> = {};
  const set = (to: Record<string, number>, k: string, v: number | undefined) => { if (v !== undefined && Number.isFinite(v) && v > 0) to[k] = round(v, 3); };
  const headline = (k: string, values: number[]) => {
    const s = spread(values);
    if (!s) return;
    ratios[k] = s.median;
    ranges[k] = s;
  };
  const pick = (re: RegExp) => results.filter((x) => re.test(x.name));
  const best = (re: RegExp) => Math.max(0, ...pick(re).map((x) => x.value)) || undefined;
  const cpu = (re: RegExp) => Math.min(Infinity, ...pick(re).map((x) => Number(x.cpu_ms_per_image ?? Infinity)));
  for (const k of Object.keys(keep)) if (/^train_/.test(k)) ratios[k] = keep[k];

  for (const d of ['fp32', 'q8']) {
    const pairs = runs[`vision_${d}`] ?? [];
    headline(`wasm_vs_native_${d}`, pairs.map((r) => Number(r.lab_img_s) / Number(r.native_img_s)));
    const labMed = median(pairs.map((r) => Number(r.lab_img_s)));
    const natMed = median(pairs.map((r) => Number(r.native_img_s)));
    if (pairs.length) {
      set(variants, `lab_img_s_${d}_median`, labMed);
      set(variants, `native_img_s_${d}_median`, natMed);
      // the FMA SGEMM kernel (src/runtime/ort-wasm-patch.ts) against ORT's own wasm, same session, same run
      set(variants, `lab_vs_stock_ort_${d}`, median(pairs.map((r) => Number(r.lab_img_s) / Number(r.stock_ort_img_s))));
      set(variants, `wasm_gflops_${d}`, labMed * GFLOP_PER_IMAGE);
      set(variants, `native_gflops_${d}`, natMed * GFLOP_PER_IMAGE);
    }
    // Variants at all cores: best raw onnxruntime-web session (any option of the gap grid), and
    // transformers.js's CLIPVisionModelWithProjection used directly, against the best native figure.
    const nat = best(new RegExp(`^node\\.vision\\.${d}\\.t${cores}\\.`));
    const raw = best(new RegExp(`^(browser|gap)\\.vision\\.${d}\\.t${cores}\\.(ort_plain|(?!transformers|lab)[\\w.]+)$`));
    const tf = best(new RegExp(`^(browser|gap)\\.vision\\.${d}\\.t${cores}\\.(transformers|transformers_js)$`));
    if (nat && raw) set(variants, `best_raw_session_vs_native_${d}`, raw / nat);
    if (nat && tf) set(variants, `transformers_js_model_class_vs_native_${d}`, tf / nat);
    // One thread: CPU time per image (load cannot shrink it). The lab's session alone is a ratio
    // of the lab; the best of every raw-session variant is listed apart.
    const c = cpu(new RegExp(`^node\\.vision\\.${d}\\.t1\\.`));
    const labCpu = cpu(new RegExp(`^browser\\.vision\\.${d}\\.t1\\.lab$`));
    const rawCpu = cpu(new RegExp(`^(browser|gap)\\.vision\\.${d}\\.t1\\.(?!lab$)`));
    if (Number.isFinite(c) && Number.isFinite(labCpu)) set(ratios, `wasm_vs_native_${d}_1thread_cpu_time`, c / labCpu);
    if (Number.isFinite(c) && Number.isFinite(rawCpu)) set(variants, `best_raw_session_vs_native_${d}_1thread_cpu_time`, c / rawCpu);
    if (Number.isFinite(labCpu)) set(variants, `wasm_gflops_per_core_${d}`, (GFLOP_PER_IMAGE * 1000) / labCpu);
    if (Number.isFinite(c)) set(variants, `native_gflops_per_core_${d}`, (GFLOP_PER_IMAGE * 1000) / c);
  }
  set(variants, 'native_ceiling_gflops_avx512', NATIVE_CEILING_GFLOPS);

  const p = runs.pipeline ?? [];
  headline('pipeline_vs_naive', p.map((r) => Number(r.naive_s) / Number(r.lab_s)));
  headline('pipeline_vs_batched', p.map((r) => Number(r.batched_s) / Number(r.lab_s)));
  const cpuRange = spread(p.map((r) => Number(r.naive_cpu_s) / Number(r.lab_cpu_s)));
  if (cpuRange) { variants.pipeline_vs_naive_cpu_time = cpuRange.median; ranges.pipeline_vs_naive_cpu_time = cpuRange; }
  const cpuB = spread(p.map((r) => Number(r.batched_cpu_s) / Number(r.lab_cpu_s)));
  if (cpuB) { variants.pipeline_vs_batched_cpu_time = cpuB.median; ranges.pipeline_vs_batched_cpu_time = cpuB; }
  const plain = spread(p.filter((r) => r.batched_plain_s !== undefined).map((r) => Number(r.batched_plain_s) / Number(r.lab_s)));
  if (plain) { variants.pipeline_vs_batched_plain_build = plain.median; ranges.pipeline_vs_batched_plain_build = plain; }
  const proto = spread(p.filter((r) => r.prototype_s !== undefined).map((r) => Number(r.prototype_s) / Number(r.lab_s)));
  if (proto) { variants.prototype_time_over_app_time = proto.median; ranges.prototype_time_over_app_time = proto; }

  // Preprocessing a 12 MP JPEG in the worker: wall clock (median) and renderer CPU time per image.
  const pre = (k: string) => results.find((x) => x.name === `browser.preprocess.12mp.jpg.${k}_ms`);
  const lab = pre('lab'), canvas = pre('canvas'), before = pre('before');
  if (canvas && lab) set(ratios, 'preprocess_12mp_canvas_vs_lab_browser', canvas.value / lab.value);
  if (before && lab) set(ratios, 'preprocess_12mp_before_vs_lab_browser', before.value / lab.value);
  const cpuOf = (x: Result | undefined) => Number(x?.cpu_ms ?? NaN);
  if (canvas && lab) set(ratios, 'preprocess_12mp_canvas_vs_lab_browser_cpu_time', cpuOf(canvas) / cpuOf(lab));
  if (before && lab) set(ratios, 'preprocess_12mp_before_vs_lab_browser_cpu_time', cpuOf(before) / cpuOf(lab));
  return { ratios, ranges, variants };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '-')) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const file = process.argv[2];
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const r = computeRatios(j.results, j.machine.cores, j.ratios, j.runs ?? {});
  Object.assign(j, { ratios: r.ratios, ratio_ranges: r.ranges, variants: r.variants });
  writeFileSync(file, `${JSON.stringify(j, null, 1)}\n`);
  console.log(r);
}
