import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { ortDir } from './testing/ort-dir';
import { ORT_BUILDS, ORT_PATCHED } from './ort-files';
import { SGEMM_MAX_ROWS, sgemmKernelBody } from './ort-sgemm-kernel';
import { hasRelaxedSimd, patchOrtSgemm, sections, standaloneKernel, type SgemmKernel as Kernel } from './ort-wasm-patch';

// Node 20's V8 ships relaxed SIMD behind a flag (Chromium 114+ has it on); on, so the FMA kernel runs here too.
setFlagsFromString('--experimental-wasm-relaxed-simd');



function instance(body: ArrayLike<number>): { k: Kernel; f32: Float32Array } {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(standaloneKernel(body, 8)));
  return { k: inst.exports.k as Kernel, f32: new Float32Array((inst.exports.memory as WebAssembly.Memory).buffer) };
}

/** B as MLAS packs it: panels of 16 columns, each K rows of 16 floats, the last panel zero-padded. */
function packB(b: Float64Array, K: number, N: number): Float32Array {
  const panels = Math.ceil(N / 16);
  const out = new Float32Array(panels * K * 16);
  for (let p = 0; p < panels; p++) for (let k = 0; k < K; k++) for (let j = 0; j < 16; j++) {
    const n = p * 16 + j;
    out[(p * K + k) * 16 + j] = n < N ? b[k * N + n] : 0;
  }
  return out;
}

interface Problem { M: number; N: number; K: number; lda: number; ldc: number; alpha: number; zero: boolean }

/**
 * Runs `k` the way MLAS's kernel loop does (rows handled -> advance) on random A, B, C with guard
 * values around C's window; returns C's whole buffer and the float64 reference.
 */
function run(k: Kernel, f32: Float32Array, p: Problem, seed: number) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const a = Float64Array.from({ length: p.M * p.lda }, rnd);
  const b = Float64Array.from({ length: p.K * p.N }, rnd);
  const c0 = Float64Array.from({ length: p.M * p.ldc }, rnd);
  const A = 0, B = a.length, C = B + packB(b, p.K, p.N).length;
  f32.fill(7777);
  f32.set(Float32Array.from(a), A);
  f32.set(packB(b, p.K, p.N), B);
  f32.set(Float32Array.from(c0), C);
  const rows: number[] = [];
  for (let m = 0; m < p.M;) {
    const r = k((A + m * p.lda) * 4, B * 4, (C + m * p.ldc) * 4, p.K, p.M - m, p.N, p.lda, p.ldc, p.alpha);
    rows.push(r);
    m += r;
  }
  const want = Float64Array.from(c0);
  for (let m = 0; m < p.M; m++) for (let n = 0; n < p.N; n++) {
    let acc = 0;
    for (let q = 0; q < p.K; q++) acc += Math.fround(a[m * p.lda + q]) * Math.fround(b[q * p.N + n]);
    want[m * p.ldc + n] = (p.zero ? 0 : Math.fround(c0[m * p.ldc + n])) + p.alpha * acc;
    for (let n2 = p.N; n2 < p.ldc; n2++) want[m * p.ldc + n2] = Math.fround(c0[m * p.ldc + n2]);
  }
  return { rows, got: f32.slice(C, C + p.M * p.ldc), want, after: f32[C + p.M * p.ldc], before: C > 0 ? f32[C - 1] : 0 };
}

const PROBLEMS: Problem[] = [];
for (const M of [1, 2, 3, 4, 5, 6, 7, 9, 13]) for (const N of [1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 40]) for (const K of [1, 3, 4, 5, 9, 64]) {
  PROBLEMS.push({ M, N, K, lda: K + (M % 3), ldc: N + (N % 4), alpha: M % 2 ? 1 : 0.5, zero: (M + N + K) % 2 === 0 });
}

describe('ORT SGEMM kernel swap', () => {
  const wasm = readFileSync(join(ortDir(), ORT_BUILDS.cpu.wasm));
  const patched = patchOrtSgemm(wasm);

  it('finds MLAS\'s two kernels in the shipped build by signature and behaviour, and keeps every other byte', () => {
    expect(patched.replaced[0]).not.toBe(patched.replaced[1]);
    expect(WebAssembly.validate(patched.bytes)).toBe(true);
    // everything before the code section is byte-identical (types, imports, exports...)
    const codeAt = (b: Uint8Array) => {
      const c = sections(b).find((x) => x.id === 10)!;
      return { start: c.header, end: c.end };
    };
    const o = codeAt(wasm), n = codeAt(patched.bytes);
    expect(Buffer.compare(wasm.subarray(0, o.start), patched.bytes.subarray(0, n.start))).toBe(0);
    expect(Buffer.compare(wasm.subarray(o.end), patched.bytes.subarray(n.end))).toBe(0);
    // the same module runs MLAS's original (extracted) as the zero and add variants
    expect(patched.original.zero.length).toBeGreaterThan(500);
  });

  it('every build the site emits can be patched (plain and asyncify)', () => {
    for (const [out, spec] of Object.entries(ORT_PATCHED)) {
      const p = patchOrtSgemm(readFileSync(join(ortDir(), spec.from)));
      expect(WebAssembly.validate(p.bytes), out).toBe(true);
    }
  });

  it('refuses a module that does not hold exactly two such kernels', () => {
    const one = standaloneKernel(sgemmKernelBody(true, false));
    expect(() => patchOrtSgemm(one)).toThrow(/expected 2 functions/);
    expect(() => patchOrtSgemm(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a WebAssembly module/);
  });

  it('relaxed SIMD is on in this test (the FMA variant below runs, not skipped)', () => {
    expect(hasRelaxedSimd()).toBe(true);
  });

  for (const fma of [true, false]) {
    it(`${fma ? 'FMA' : 'mul+add'} kernel = MLAS's kernel = float64 reference on ${PROBLEMS.length} shapes (tails of 1..15 columns, 1..13 rows, lda/ldc > K/N, alpha, both modes)`, () => {
      const ours = { zero: instance(sgemmKernelBody(true, fma)), add: instance(sgemmKernelBody(false, fma)) };
      const mlas = { zero: instance(patched.original.zero), add: instance(patched.original.add) };
      let worst = 0;
      PROBLEMS.forEach((p, i) => {
        const mode = p.zero ? 'zero' : 'add';
        const r = run(ours[mode].k, ours[mode].f32, p, i + 1);
        const ref = run(mlas[mode].k, mlas[mode].f32, p, i + 1);
        // rows handled: up to SGEMM_MAX_ROWS per call (MLAS's: 1 or 2), never past CountM
        expect(r.rows.every((x, j) => x >= 1 && x <= SGEMM_MAX_ROWS && x <= p.M - r.rows.slice(0, j).reduce((s, v) => s + v, 0))).toBe(true);
        expect(r.rows[0]).toBe(Math.min(SGEMM_MAX_ROWS, p.M));
        // nothing written outside C's window, nor in the ldc padding (compared with want there)
        expect(r.after).toBe(7777);
        for (let q = 0; q < r.got.length; q++) {
          const tol = 1e-5 * (p.K + 1);
          const e = Math.abs(r.got[q] - r.want[q]);
          worst = Math.max(worst, e);
          if (e > tol || Math.abs(r.got[q] - ref.got[q]) > tol) {
            throw new Error(`${JSON.stringify(p)} element ${q}: ours ${r.got[q]}, MLAS ${ref.got[q]}, float64 ${r.want[q]}`);
          }
        }
      });
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('a shorter tile (4 rows, what the bench compares with) gives the same bits, 4 rows per call at most; bad heights throw', () => {
    const tall = { zero: instance(sgemmKernelBody(true)), add: instance(sgemmKernelBody(false)) };
    const short = { zero: instance(sgemmKernelBody(true, true, 4)), add: instance(sgemmKernelBody(false, true, 4)) };
    PROBLEMS.forEach((p, i) => {
      const mode = p.zero ? 'zero' : 'add';
      const a = run(tall[mode].k, tall[mode].f32, p, i + 1);
      const b = run(short[mode].k, short[mode].f32, p, i + 1);
      // each output element sums over k in the same order whatever the tile height
      expect(Buffer.compare(Buffer.from(b.got.buffer), Buffer.from(a.got.buffer)), JSON.stringify(p)).toBe(0);
      expect(Math.max(...b.rows)).toBe(Math.min(4, p.M));
    });
    for (const bad of [0, 7, 4.5]) expect(() => sgemmKernelBody(true, true, bad)).toThrow(/maxRows/);
  });
});
