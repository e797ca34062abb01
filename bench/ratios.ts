// The headline ratios, computed from the results list (also runnable on a saved JSON:
// `npx tsx bench/ratios.ts docs/benchmarks/latest.json` recomputes its "ratios" in place).
import { GFLOP_PER_IMAGE, NATIVE_CEILING_GFLOPS, round, type Result } from './report';

/**
 * Best figure on each side (other processes only slow runs down): in-browser = the best of every
 * browser/gap vision figure at that thread count; native = the best onnxruntime-node figure
 * (taken before and after the browser runs). CPU-time ratios use one thread, where they measure
 * the kernels alone.
 */
export function computeRatios(results: Result[], cores: number, keep: Record<string, number> = {}): Record<string, number> {
  const r: Record<string, number> = {};
  const set = (k: string, v: number | undefined) => { if (v !== undefined && Number.isFinite(v) && v > 0) r[k] = round(v, 3); };
  const pick = (re: RegExp) => results.filter((x) => re.test(x.name));
  const best = (re: RegExp) => Math.max(0, ...pick(re).map((x) => x.value)) || undefined;
  const cpu = (re: RegExp) => Math.min(Infinity, ...pick(re).map((x) => Number(x.cpu_ms_per_image ?? Infinity)));
  for (const k of Object.keys(keep)) if (/^(pipeline_vs_naive|train_)/.test(k)) r[k] = keep[k];
  for (const d of ['fp32', 'q8']) {
    const webRe = new RegExp(`^(browser|gap)\\.vision\\.${d}\\.t${cores}\\.`);
    const nat = best(new RegExp(`^node\\.vision\\.${d}\\.t${cores}\\.`));
    const web = best(webRe);
    // The headline is what the lab runs (transformers.js on ORT's asyncify build); the best raw-session figure
    // (plain build, any option of the gap grid) is kept beside it as what the browser allows.
    const tf = best(new RegExp(`^(browser|gap)\\.vision\\.${d}\\.t${cores}\\.(transformers|transformers_js)$`));
    if (nat && tf) set(`wasm_vs_native_${d}`, tf / nat);
    if (nat && web) set(`best_raw_session_vs_native_${d}`, web / nat);
    const nat1 = best(new RegExp(`^node\\.vision\\.${d}\\.t1\\.`));
    const web1 = best(new RegExp(`^(browser|gap)\\.vision\\.${d}\\.t1\\.`));
    if (nat1 && web1) set(`wasm_vs_native_${d}_1thread`, web1 / nat1);
    const c = cpu(new RegExp(`^node\\.vision\\.${d}\\.t1\\.`)), cw = cpu(new RegExp(`^(browser|gap)\\.vision\\.${d}\\.t1\\.`));
    if (Number.isFinite(c) && Number.isFinite(cw)) set(`wasm_vs_native_${d}_1thread_cpu_time`, c / cw);
    if (web) set(`wasm_gflops_${d}`, web * GFLOP_PER_IMAGE);
    if (nat) set(`native_gflops_${d}`, nat * GFLOP_PER_IMAGE);
    if (Number.isFinite(cw)) set(`wasm_gflops_per_core_${d}`, (GFLOP_PER_IMAGE * 1000) / cw);
    if (Number.isFinite(c)) set(`native_gflops_per_core_${d}`, (GFLOP_PER_IMAGE * 1000) / c);
  }
  set('native_ceiling_gflops_avx512', NATIVE_CEILING_GFLOPS);
  // Preprocessing a 12 MP JPEG in the worker: wall clock (median) and renderer CPU time per image.
  const pre = (k: string) => results.find((x) => x.name === `browser.preprocess.12mp.jpg.${k}_ms`);
  const lab = pre('lab'), canvas = pre('canvas'), before = pre('before');
  if (canvas && lab) set('preprocess_12mp_canvas_vs_lab_browser', canvas.value / lab.value);
  if (before && lab) set('preprocess_12mp_before_vs_lab_browser', before.value / lab.value);
  const cpuOf = (x: Result | undefined) => Number(x?.cpu_ms ?? NaN);
  if (canvas && lab) set('preprocess_12mp_canvas_vs_lab_browser_cpu_time', cpuOf(canvas) / cpuOf(lab));
  if (before && lab) set('preprocess_12mp_before_vs_lab_browser_cpu_time', cpuOf(before) / cpuOf(lab));
  return r;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '-')) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const file = process.argv[2];
  const j = JSON.parse(readFileSync(file, 'utf8'));
  j.ratios = computeRatios(j.results, j.machine.cores, j.ratios);
  writeFileSync(file, `${JSON.stringify(j, null, 1)}\n`);
  console.log(j.ratios);
}
