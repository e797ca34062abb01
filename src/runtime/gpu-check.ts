/**
 * "Trust a GPU only after it proves itself": a tiny fixed computation runs on WebGPU and on WASM and the two
 * results are compared here. A mismatch keeps WASM; the verdict is remembered per adapter (vendor, architecture,
 * description, browser version) until the user asks to check again. The computations themselves live beside
 * their users (src/bnonly/gpu-check.ts: one training step; the CLIP/CLIPSeg workers: one embedding).
 * Pure logic only (no DOM): the storage is app/workers/gpu-trust.ts.
 */

/** What one backend computed: a loss (or any scalar) and named vectors (gradients, an embedding). */
export interface ProbeFigures {
  loss: number;
  grads: Record<string, number[]>;
}

/**
 * Float32 on two backends differs by summation order only (~1e-6 relative for these sizes); a wrong kernel,
 * a wrong readback or a wrong precision is off by far more. `rtol` applies to each value against the WASM
 * one, `atol` is relative to the vector's largest WASM magnitude (small entries of a gradient carry the
 * cancellation error of the large ones).
 */
export interface Tolerance {
  /** loss: |gpu - wasm| <= lossTol * max(1, |wasm|) */
  lossTol: number;
  rtol: number;
  atol: number;
}

/** One fp32 training step (TF.js): measured differences on SwiftShader are ~1e-6 relative. */
export const TRAINING_TOLERANCE: Tolerance = { lossTol: 1e-3, rtol: 1e-2, atol: 1e-3 };
/** One embedding (ONNX Runtime): fp16 weights on the GPU against q8/fp32 on WASM need more room; cosine is compared too. */
export const EMBEDDING_TOLERANCE: Tolerance = { lossTol: 2e-2, rtol: 1e-1, atol: 5e-2 };

export interface Mismatch {
  /** 'loss' or the vector's name and index, e.g. "stem.conv[3]" */
  what: string;
  gpu: number;
  wasm: number;
}

export interface Comparison {
  ok: boolean;
  /** the worst offender (largest excess over its tolerance), when not ok */
  mismatch?: Mismatch;
  /** largest |gpu - wasm| seen over all values, relative to each value's allowed error (<= 1 when ok) */
  worstRatio: number;
}

/** Compares a GPU result with the WASM reference. Non-finite or missing values on either side are a mismatch. */
export function compareProbes(gpu: ProbeFigures, wasm: ProbeFigures, tol: Tolerance): Comparison {
  let worst = 0;
  let mismatch: Mismatch | undefined;
  const check = (what: string, g: number | undefined, w: number | undefined, allowed: number) => {
    const bad = g === undefined || w === undefined || !Number.isFinite(g) || !Number.isFinite(w);
    const ratio = bad ? Infinity : Math.abs(g - w) / allowed;
    if (ratio > worst || (bad && !mismatch)) {
      worst = ratio;
      if (ratio > 1) mismatch = { what, gpu: g ?? NaN, wasm: w ?? NaN };
    }
  };
  check('loss', gpu.loss, wasm.loss, tol.lossTol * Math.max(1, Math.abs(wasm.loss)));
  for (const [name, ref] of Object.entries(wasm.grads)) {
    const got = gpu.grads[name] ?? [];
    if (got.length !== ref.length) {
      worst = Infinity;
      mismatch ??= { what: `${name}.length`, gpu: got.length, wasm: ref.length };
      continue;
    }
    const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < ref.length; i++) check(`${name}[${i}]`, got[i], ref[i], tol.atol * scale + tol.rtol * Math.abs(ref[i]) || Number.MIN_VALUE);
  }
  return mismatch ? { ok: false, mismatch, worstRatio: worst } : { ok: true, worstRatio: worst };
}

/** One line for the UI and the logs: which value differed and by how much. */
export function describeMismatch(m: Mismatch): string {
  const f = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));
  return `${m.what}: WebGPU ${f(m.gpu)}, WASM ${f(m.wasm)}`;
}

/** What `navigator.gpu.requestAdapter()` reports of itself (GPUAdapterInfo), all optional. */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

/** The key a verdict is remembered under: the adapter and the browser (a driver or browser update checks again). */
export function adapterKey(info: AdapterInfoLike | undefined, userAgent: string): string {
  const i = info ?? {};
  const browser = /(Chrom(?:e|ium)|Edg|Firefox|Version)\/[\d.]+/.exec(userAgent)?.[0] ?? userAgent;
  return [i.vendor ?? '', i.architecture ?? '', i.device ?? '', i.description ?? '', browser].join('|');
}

/** A remembered verdict: which check, on what, with what outcome. */
export interface GpuVerdict {
  /** 'bnonly-train' | 'clip-embed' | 'segment-embed' */
  check: string;
  key: string;
  ok: boolean;
  /** describeMismatch's line, or why the check could not run */
  reason?: string;
  at: number;
}

/**
 * Test hooks (`?gpuCheck=mismatch|match` on the page; the workers get it from the store): force the outcome
 * without changing what runs, so e2e can show both paths on one adapter.
 */
export type GpuCheckForce = 'mismatch' | 'match' | undefined;

export function forcedVerdict(force: GpuCheckForce, c: Comparison): Comparison {
  if (force === 'mismatch') return { ok: false, worstRatio: Infinity, mismatch: { what: 'forced by ?gpuCheck=mismatch', gpu: 0, wasm: 1 } };
  if (force === 'match') return { ok: true, worstRatio: 0 };
  return c;
}
