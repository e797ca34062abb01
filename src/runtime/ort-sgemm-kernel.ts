/**
 * A replacement for the inner SGEMM kernel of ONNX Runtime's WebAssembly build (MLAS,
 * onnxruntime/core/mlas/lib/wasm_simd/SgemmKernelWasmSimd.cpp), where the vision encoder spends
 * 91% of its time (fp32, ViT-B/32, one thread; docs/benchmarks/README.md). The shipped kernel
 * computes 2 rows x 16 columns with a separate f32x4.mul and f32x4.add per product: ORT's npm
 * builds are compiled without relaxed SIMD, so the browser cannot use the CPU's FMA. This one
 * computes up to 6 rows x 8 columns at a time (12 accumulators, 2 loads of B and 6 broadcasts of
 * A per step of k, k unrolled by 4) with f32x4.relaxed_madd, which V8 lowers to one FMA where the
 * CPU has it (and to mul+add where it has not). Same contract as MLAS's MlasSgemmKernelZero/Add:
 *
 *   (A, B, C, CountK, CountM, CountN, lda, ldc, alpha) -> rows handled (1..6, at most CountM)
 *
 * A: CountM rows of CountK floats, lda apart; B: packed by MLAS in panels of 16 columns x CountK
 * (the last panel padded to 16); C: rows ldc apart; C = alpha*A*B (zero mode) or C += alpha*A*B.
 * The results differ from MLAS's by rounding only (one rounding per product-sum with FMA).
 */

import { I32, V128, get, set, tee, simd, uleb, vec } from '../math/wasm-asm';

const F32 = 0x7d;
// 6 rows: 12 accumulators + 2 of B + 1 broadcast = 15 of x64's 16 xmm registers. The 12 independent
// FMA chains hide the FMA latency better than 4 rows' 8: alone on one core of a Zen 5 EPYC in
// Chromium 156, 54.2 against 46.45 GFLOP/s (browser.sgemm_kernel.rows_* in
// docs/benchmarks/quick-avx512.json); level on a Zen 3 (43.5 against 42.8, not committed).
export const SGEMM_MAX_ROWS = 6;
const MAX_ROWS = SGEMM_MAX_ROWS;
const UNROLL = 4;
// params
const [A, B, C, K, M, N, LDA, LDC, ALPHA] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
// i32 locals (after the 9 params): MAX_ROWS row pointers into A, then the rest
const P = (r: number) => 9 + r;
const [BP, KK, BB, CC, NN, LDAB, LDCB, REM, CR] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => 9 + MAX_ROWS + i);
const I32_LOCALS = MAX_ROWS + 9;
// v128 locals: 2 accumulators per row, then B0, B1, the broadcast of A, alpha
const ACC = (r: number, j: number) => 9 + I32_LOCALS + r * 2 + j;
const [B0, B1, T, AL] = [0, 1, 2, 3].map((i) => 9 + I32_LOCALS + 2 * MAX_ROWS + i);
const V128_LOCALS = 2 * MAX_ROWS + 4;

const i32c = (v: number): number[] => {
  // signed LEB128 of a small constant
  const out: number[] = [];
  let n = v;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return [0x41, ...out];
    }
    out.push(b | 0x80);
  }
};
const add = [0x6a];
const sub = [0x6b];
const addTo = (l: number, v: number[]) => [...get(l), ...v, ...add, ...set(l)];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const ELSE = [0x05];
const END = [0x0b];
const brIf = (d: number) => [0x0d, d];
const v128Load = (offset: number) => simd(0x00, 4, ...uleb(offset));
const v128Store = (offset: number) => simd(0x0b, 4, ...uleb(offset));
const load32Splat = (offset: number) => simd(0x09, 2, ...uleb(offset));
const ZERO = simd(0x0c, ...new Array(16).fill(0));
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const RELAXED_MADD = simd(0x105); // f32x4.relaxed_madd: a * b + c
const f32Store = (offset: number) => [0x38, 2, ...uleb(offset)];
const f32Load = (offset: number) => [0x2a, 2, ...uleb(offset)];
const f32Add = [0x92];
const extractLane = (lane: number) => simd(0x1f, lane);

/** One step of k for `rows` rows: B0/B1 from BP at +koff*64, A broadcasts at +koff*4. */
function kStep(rows: number, koff: number, fma: boolean): number[] {
  const out = [...get(BP), ...v128Load(koff * 64), ...set(B0), ...get(BP), ...v128Load(koff * 64 + 16), ...set(B1)];
  for (let r = 0; r < rows; r++) {
    out.push(...get(P(r)), ...load32Splat(koff * 4), ...set(T));
    for (const j of [0, 1]) {
      if (fma) out.push(...get(T), ...get(j ? B1 : B0), ...get(ACC(r, j)), ...RELAXED_MADD, ...set(ACC(r, j)));
      else out.push(...get(T), ...get(j ? B1 : B0), ...F32X4_MUL, ...get(ACC(r, j)), ...F32X4_ADD, ...set(ACC(r, j)));
    }
  }
  return out;
}

function advance(rows: number, steps: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) out.push(...addTo(P(r), i32c(4 * steps)));
  out.push(...addTo(BP, i32c(64 * steps)), ...get(KK), ...i32c(steps), ...sub, ...set(KK));
  return out;
}

/** Stores lanes [0, n) of v (n < 4) at address `at`, adding what is there unless zero mode. */
function storeLanes(v: number, at: number[], n: number, zero: boolean): number[] {
  const out: number[] = [];
  for (let lane = 0; lane < n; lane++) {
    out.push(...at, ...get(v), ...extractLane(lane));
    if (!zero) out.push(...at, ...f32Load(lane * 4), ...f32Add);
    out.push(...f32Store(lane * 4));
  }
  return out;
}

/** The 8-column half `h` of the current 16-column panel, for `rows` rows. */
function half(rows: number, h: number, zero: boolean, fma: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (const j of [0, 1]) out.push(...ZERO, ...set(ACC(r, j)));
  out.push(...get(A), ...set(P(0)));
  for (let r = 1; r < rows; r++) out.push(...get(P(r - 1)), ...get(LDAB), ...add, ...set(P(r)));
  out.push(...get(BB), ...i32c(h * 32), ...add, ...set(BP), ...get(K), ...set(KK));
  // k in steps of UNROLL while KK >= UNROLL, then one at a time
  out.push(...BLOCK, ...get(KK), ...i32c(UNROLL), 0x48 /* i32.lt_s */, ...brIf(0), ...LOOP);
  for (let u = 0; u < UNROLL; u++) out.push(...kStep(rows, u, fma));
  out.push(...advance(rows, UNROLL), ...get(KK), ...i32c(UNROLL), 0x4e /* i32.ge_s */, ...brIf(0), ...END, ...END);
  out.push(...BLOCK, ...get(KK), 0x45 /* eqz */, ...brIf(0), ...LOOP);
  out.push(...kStep(rows, 0, fma), ...advance(rows, 1), ...get(KK), ...brIf(0), ...END, ...END);
  // alpha, then store (all 8 columns, or the 1..7 that remain in the last panel)
  for (let r = 0; r < rows; r++) for (const j of [0, 1]) out.push(...get(ACC(r, j)), ...get(AL), ...F32X4_MUL, ...set(ACC(r, j)));
  out.push(...get(NN), ...i32c(h * 8), ...sub, ...set(REM), ...get(CC), ...i32c(h * 32), ...add, ...set(CR));
  const full: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (const j of [0, 1]) {
      full.push(...get(CR), ...get(ACC(r, j)));
      if (!zero) full.push(...get(CR), ...v128Load(j * 16), ...F32X4_ADD);
      full.push(...v128Store(j * 16));
    }
    if (r < rows - 1) full.push(...addTo(CR, get(LDCB)));
  }
  const partial: number[] = [];
  for (let r = 0; r < rows; r++) {
    // REM in 1..7: 4 lanes of ACC(r,0) then REM-4 of ACC(r,1), or REM lanes of ACC(r,0)
    const at = get(CR);
    const hi: number[] = [...at, ...get(ACC(r, 0))];
    if (!zero) hi.push(...at, ...v128Load(0), ...F32X4_ADD);
    hi.push(...v128Store(0));
    const hiRest: number[] = [];
    for (let n = 1; n < 4; n++) {
      hiRest.push(...get(REM), ...i32c(4 + n), 0x46 /* eq */, ...IF, ...storeLanes(ACC(r, 1), [...at, ...i32c(16), ...add], n, zero), ...END);
    }
    const lo: number[] = [];
    for (let n = 1; n < 4; n++) lo.push(...get(REM), ...i32c(n), 0x46, ...IF, ...storeLanes(ACC(r, 0), at, n, zero), ...END);
    partial.push(...get(REM), ...i32c(4), 0x4e /* ge_s */, ...IF, ...hi, ...hiRest, ...ELSE, ...lo, ...END);
    if (r < rows - 1) partial.push(...addTo(CR, get(LDCB)));
  }
  out.push(...get(REM), ...i32c(8), 0x4e, ...IF, ...full, ...ELSE, ...partial, ...END);
  return out;
}

/** The whole computation for exactly `rows` rows; leaves nothing on the stack. */
function forRows(rows: number, zero: boolean, fma: boolean): number[] {
  const out = [...get(B), ...set(BB), ...get(C), ...set(CC), ...get(N), ...set(NN)];
  out.push(...BLOCK, ...get(NN), 0x45, ...brIf(0), ...LOOP);
  out.push(...half(rows, 0, zero, fma));
  // the second half only where more than 8 columns remain
  out.push(...get(NN), ...i32c(8), 0x4a /* gt_s */, ...IF, ...half(rows, 1, zero, fma), ...END);
  out.push(...addTo(BB, [...get(K), ...i32c(64), 0x6c /* mul */]), ...addTo(CC, i32c(64)));
  out.push(...get(NN), ...i32c(16), ...sub, ...tee(NN), ...i32c(0), 0x4a, ...brIf(0), ...END, ...END);
  return out;
}

/**
 * The function body (locals + code) for the zero (C = alpha*AB) or add (C += alpha*AB) variant.
 * `fma`: f32x4.relaxed_madd (needs relaxed SIMD) or f32x4.mul + f32x4.add (plain SIMD).
 * `maxRows`: the most rows per call (fewer only to compare tile heights).
 */
export function sgemmKernelBody(zero: boolean, fma = true, maxRows = MAX_ROWS): number[] {
  const code = [
    ...vec([[...uleb(I32_LOCALS), I32], [...uleb(V128_LOCALS), V128]]),
    ...get(ALPHA), ...simd(0x13), ...set(AL), // f32x4.splat
    ...get(LDA), ...i32c(2), 0x74 /* shl */, ...set(LDAB),
    ...get(LDC), ...i32c(2), 0x74, ...set(LDCB),
  ];
  // rows = min(M, maxRows), one specialised copy per row count
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > MAX_ROWS) throw new Error(`maxRows ${maxRows} outside 1..${MAX_ROWS}`);
  for (let rows = maxRows; rows >= 1; rows--) {
    if (rows > 1) code.push(...get(M), ...i32c(rows), 0x4f /* ge_u */, ...IF);
    code.push(...forRows(rows, zero, fma), ...i32c(rows), 0x0f /* return */);
    if (rows > 1) code.push(...END);
  }
  code.push(0x00 /* unreachable: every path returned */, ...END);
  return code;
}

/** The kernel's wasm signature: (i32 x 8, f32) -> i32, how the patcher finds MLAS's two. */
export const SGEMM_KERNEL_TYPE = [0x60, ...vec([...new Array(8).fill([I32]), [F32]]), ...vec([[I32]])];
