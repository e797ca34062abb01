/**
 * A replacement for MLAS's quantized GEMM in ONNX Runtime's WebAssembly build
 * (MlasGemmQuantOperation<MLAS_GEMM_U8X8_KERNEL_WASMSIMD>, onnxruntime/core/mlas/lib/qgemm.h and
 * qgemm_kernel_wasmsimd.cpp), where a q8 vision encoder spends about three quarters of its time
 * (DynamicQuantizeMatMul + MatMulIntegerToFloat). MLAS widens both operands to i16 and multiplies
 * with i32x4.dot_i16x8_s: 8 products per instruction, plus an add, one row x 8 columns at a time.
 * This kernel keeps the bytes as bytes and computes 4 rows x 8 columns with
 * i32x4.relaxed_dot_i8x16_i7x16_add_s: 16 products and the accumulation in one instruction, which
 * V8 lowers to one VPDPBUSD where the CPU has AVX-VNNI. A 400 x 768 x 768 product takes 2.7 ms in
 * Chromium 150 (87 GMAC/s); the same kernel with activations split into two 7-bit halves (the
 * portable way) ran at 49 GMAC/s, MLAS's at about 46.
 *
 * The activations (u8) go to the dot's second operand, which the spec defines on 0..127 only: the
 * result is exact where the lowering is VPDPBUSD (u8 x s8), wrong elsewhere (16-bit saturation,
 * or a signed dot). ort-qgemm-probe.ts checks it at startup, and the build with this kernel is
 * loaded only where the check passes. B (u8 or s8) becomes signed bytes w = b ^ 0x80 (u8) or b
 * (s8), its zero point moved the same way, as MLAS does. Per element, with zA and zw the zero
 * points and the sums over this block of k:
 *
 *   C[i][j] (+)= sum (a - zA)(w - zw[j]) = A.W - zw[j] sum(a) + zA (CK zw[j] - sum(w))
 *
 * Blocks: KB values of k x NB columns of B packed per block (4 k x 4 columns per 16 bytes, the
 * layout the dot reads), MB rows of A copied per block; tiles of 4 x 8 in i32x4 accumulators
 * (8 accumulators, 2 of B, 1 broadcast; 6 rows measured 4% faster, 4 leave registers to spare).
 * Everything lives in MLAS's own per-thread buffer (36928 bytes, allocated by the original
 * function's prologue, which ort-qgemm-patch.ts keeps); the output processor runs once over the
 * whole range after the last block, which is what MLAS's per-chunk calls amount to.
 *
 * `qgemmCore` is the body without prologue, epilogue or output processor: it reads the buffer's
 * address from local BUF. Its contract, with Shape and Data as MLAS lays them out in wasm32:
 *   Shape: M@0 N@4 K@8 AIsSigned@12 BIsSigned@13 IsAccumulateMode@14
 *   Data:  A@0 lda@4 ZeroPointA@8 B@12 ldb@16 ZeroPointB@20 BIsPacked@24 PerColumnZeroPoints@25
 *          C@28 ldc@32 OutputProcessor@36
 * and the params (Shape, Data, RangeStartM, RangeCountM, RangeStartN, RangeCountN).
 */

import { I32, V128, get, set, tee, simd, uleb } from '../math/wasm-asm';

type Code = number[];
const c = (...parts: (Code | number)[]): Code => parts.flatMap((p) => (typeof p === 'number' ? [p] : p));

/** Rows per tile. */
export const QGEMM_ROWS = 4;
const R = QGEMM_ROWS;
/** Block sizes: k per block, columns of B per panel, rows of A per panel (a multiple of R). */
const KB = 256;
const NB = 64;
const MB = 24;
// The buffer's layout (bytes from BUF); 36928 is what MLAS allocates for this kernel type.
const B_PANEL = 0; // NB x KB
const A_PANEL = B_PANEL + NB * KB; // MB x KB
const ROW_SUMS = A_PANEL + MB * KB; // MB i32
const COL_TERMS = ROW_SUMS + MB * 4; // NB i32
const ZW = COL_TERMS + NB * 4; // NB i32
const TMP = ZW + NB * 4; // 8 i32
export const QGEMM_BUFFER_BYTES = TMP + 32;
export const MLAS_QGEMM_BUFFER_BYTES = 36928;
if (QGEMM_BUFFER_BYTES > MLAS_QGEMM_BUFFER_BYTES) throw new Error('qgemm: blocks do not fit MLAS buffer');

// ---- locals: params 0..5, 6..15 i32 for the kept prologue, then ours
const [SHAPE, DATA, SM, CM, SN, CN] = [0, 1, 2, 3, 4, 5];
export const PROLOGUE_I32_LOCALS = 10; // locals 6..15
let nextLocal = 6 + PROLOGUE_I32_LOCALS;
const i32Local = () => nextLocal++;
export const BUF = i32Local();
const [K, LDA, LDB, LDC, ABASE, BBASE, CBASE, ZA, BFLIP, ZWS, PCZ, ACCUM] = Array.from({ length: 12 }, i32Local);
const [KK, CK, CK4, NN, CNB, NG, MM, CMB, NRG, KEEP] = Array.from({ length: 10 }, i32Local);
const [I, J, KQ, VR, P, Q, S, T, G, RG, PA, PB, KC, ROW] = Array.from({ length: 14 }, i32Local);
const I32_COUNT = nextLocal - 6;
let nextV = nextLocal;
const vLocal = () => nextV++;
const ACC = Array.from({ length: R }, () => [vLocal(), vLocal()]);
const [B0, B1, X, R0, R1, R2, R3, T0, T1, SUM, MASK] = Array.from({ length: 11 }, vLocal);
const V128_COUNT = nextV - nextLocal;
/** The local declarations of the replacement body (i32 for 6..BUF.., then v128). */
export const QGEMM_LOCALS: [number, number][] = [[I32_COUNT, I32], [V128_COUNT, V128]];

// ---- instructions
const i32c = (v: number): Code => {
  const out: number[] = [];
  let n = v | 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [0x41, ...out, b];
    out.push(b | 0x80);
  }
};
const [ADD, SUB, MUL, AND, XOR, SHL, SHR_U, EQZ, LT_U, GE_U, SELECT] = [0x6a, 0x6b, 0x6c, 0x71, 0x73, 0x74, 0x76, 0x45, 0x49, 0x4f, 0x1b];
const EXTEND8_S = 0xc0;
const load = (off = 0) => [0x28, 2, ...uleb(off)];
const load8 = (off = 0) => [0x2d, 0, ...uleb(off)];
const store = (off = 0) => [0x36, 2, ...uleb(off)];
const store8 = (off = 0) => [0x3a, 0, ...uleb(off)];
const vload = (off = 0) => simd(0x00, 0, ...uleb(off));
const vstore = (off = 0) => simd(0x0b, 0, ...uleb(off));
const splat32 = (off = 0) => simd(0x09, 0, ...uleb(off));
const vconst0 = simd(0x0c, ...new Array(16).fill(0));
const shuffle = (lanes: number[]) => simd(0x0d, ...lanes);
const I8_SPLAT = simd(0x0f);
const I32_SPLAT = simd(0x11);
const V_AND = simd(0x4e);
const V_XOR = simd(0x51);
const EXT_I8_S = simd(0x7c);
const EXT_I8_U = simd(0x7d);
const EXT_I16_S = simd(0x7e);
const EXT_I16_U = simd(0x7f);
const I32X4_ADD = simd(0xae);
const I32X4_SUB = simd(0xb1);
const I32X4_MUL = simd(0xb5);
const lane = (n: number) => simd(0x1b, n);
const RELAXED_DOT = simd(0x113); // i32x4.relaxed_dot_i8x16_i7x16_add_s(i8 a, i7 b, i32 c)
const MEMORY_FILL = [0xfc, 0x0b, 0x00];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const br = (d: number) => [0x0c, d];
const brIf = (d: number) => [0x0d, d];
const ifThen = (cond: Code, then: Code, otherwise?: Code): Code =>
  c(cond, 0x04, 0x40, then, otherwise ? c(0x05, otherwise) : [], END);
/** if returning a v128 */
const ifV = (cond: Code, then: Code, otherwise: Code): Code => c(cond, 0x04, V128, then, 0x05, otherwise, END);
/** `while (cond) body`; body must not branch out itself */
const whileLoop = (cond: Code, body: Code): Code => c(BLOCK, LOOP, cond, EQZ, brIf(1), body, br(0), END, END);
/** do body while (cond) */
const doWhile = (body: Code, cond: Code): Code => c(LOOP, body, cond, brIf(0), END);
const addTo = (l: number, v: Code) => c(get(l), v, ADD, set(l));
const minU = (a: Code, b: Code) => c(a, b, a, b, LT_U, SELECT);
const buf = (off: number) => c(get(BUF), i32c(off), ADD);

// ---- the algorithm
function setup(): Code {
  return c(
    get(DATA), load(4), set(LDA), get(DATA), load(16), set(LDB), get(DATA), load(32), set(LDC),
    get(DATA), load(0), get(SM), get(LDA), MUL, ADD, set(ABASE),
    get(DATA), load(12), get(SN), ADD, set(BBASE),
    get(DATA), load(28), get(SM), get(LDC), MUL, get(SN), ADD, i32c(2), SHL, ADD, set(CBASE),
    get(DATA), load8(8), set(ZA),
    i32c(0), i32c(0x80), get(SHAPE), load8(13), SELECT, set(BFLIP),
    get(DATA), load(20), load8(0), get(BFLIP), XOR, EXTEND8_S, set(ZWS),
    get(DATA), load(20), get(SN), ADD, i32c(0), get(DATA), load8(25), SELECT, set(PCZ),
    get(SHAPE), load8(14), set(ACCUM),
  );
}

/** Address in the B panel of column group g (local), step kq (local). */
const panelAt = (g: Code, kq: Code) => c(buf(B_PANEL), g, get(CK4), MUL, i32c(5), SHL, ADD, kq, i32c(5), SHL, ADD);

/**
 * B[KK.., NN..] -> panel: per 8-column group, per 4 k: [cols 0-3 x k0..3][cols 4-7 x k0..3], as
 * signed bytes, zero-padded. 16 columns at a time by a 4x4 byte transpose, the rest one by one.
 */
function packB(): Code {
  const row = (i: number) => c(get(P), i32c(i), get(LDB), MUL, ADD); // address of row i of this k4, column J
  // rows past the block's k stay zero (w = 0): flipping them would add -128 to the column sums
  const loadRow = (i: number, dst: number) => c(ifV(c(get(VR), i32c(i), 0x4a /* gt_s */), c(row(i), vload(), get(BFLIP), I8_SPLAT, V_XOR), vconst0), set(dst));
  const lo = [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23];
  const hi = lo.map((x) => x + 8);
  const q = (a: number, b: number) => [a, a + 1, b, b + 1];
  const loq = [...q(0, 16), ...q(2, 18), ...q(4, 20), ...q(6, 22)];
  const hiq = [...q(8, 24), ...q(10, 26), ...q(12, 28), ...q(14, 30)];
  const vector = c(
    loadRow(0, R0), loadRow(1, R1), loadRow(2, R2), loadRow(3, R3),
    get(R0), get(R1), shuffle(lo), set(T0), get(R0), get(R1), shuffle(hi), set(T1),
    get(R2), get(R3), shuffle(lo), set(R0), get(R2), get(R3), shuffle(hi), set(R1),
    // group J/8: columns J..J+7; group J/8+1: J+8..J+15
    panelAt(c(get(J), i32c(3), SHR_U), get(KQ)), tee(Q), get(T0), get(R0), shuffle(loq), vstore(0),
    get(Q), get(T0), get(R0), shuffle(hiq), vstore(16),
    get(Q), get(CK4), i32c(5), SHL, ADD, tee(Q), get(T1), get(R1), shuffle(loq), vstore(0),
    get(Q), get(T1), get(R1), shuffle(hiq), vstore(16),
    addTo(J, i32c(16)),
  );
  const scalar = c(
    i32c(0), set(I),
    whileLoop(c(get(I), get(VR), LT_U), c(
      panelAt(c(get(J), i32c(3), SHR_U), get(KQ)), get(J), i32c(2), SHR_U, i32c(1), AND, i32c(4), SHL, ADD,
      get(J), i32c(3), AND, i32c(2), SHL, ADD, get(I), ADD,
      get(BBASE), get(KK), get(KQ), i32c(2), SHL, ADD, get(I), ADD, get(LDB), MUL, ADD, get(NN), ADD, get(J), ADD, load8(0),
      get(BFLIP), XOR, store8(0),
      addTo(I, i32c(1)),
    )),
    addTo(J, i32c(1)),
  );
  return c(
    panelAt(i32c(0), i32c(0)), i32c(0), get(NG), get(CK4), MUL, i32c(5), SHL, MEMORY_FILL,
    i32c(0), set(KQ),
    whileLoop(c(get(KQ), get(CK4), LT_U), c(
      // rows of this k4 inside the block (1..4), and the address of its first row at column 0
      minU(i32c(4), c(get(CK), get(KQ), i32c(2), SHL, SUB)), set(VR),
      i32c(0), set(J),
      whileLoop(c(get(J), i32c(16), ADD, get(CNB), 0x4c /* le_s */), c(
        get(BBASE), get(KK), get(KQ), i32c(2), SHL, ADD, get(LDB), MUL, ADD, get(NN), ADD, get(J), ADD, set(P),
        vector,
      )),
      whileLoop(c(get(J), get(CNB), LT_U), scalar),
      addTo(KQ, i32c(1)),
    )),
  );
}

/** ZW[j] (zero point of column j, as a signed byte) and COL_TERMS[j] = zA (CK zw - sum_k w). */
function colTerms(): Code {
  const sums = c(
    vconst0, set(R0), vconst0, set(R1), i32c(0), set(KQ),
    whileLoop(c(get(KQ), get(CK4), LT_U), c(
      panelAt(get(G), get(KQ)), tee(P),
      vload(0), EXT_I8_S, EXT_I16_S, get(R0), I32X4_ADD, set(R0),
      get(P), vload(16), EXT_I8_S, EXT_I16_S, get(R1), I32X4_ADD, set(R1),
      addTo(KQ, i32c(1)),
    )),
  );
  const term = (k: number, v: number) => c(
    buf(COL_TERMS), get(G), i32c(5), SHL, ADD,
    buf(ZW), get(G), i32c(5), SHL, ADD, vload(16 * k), get(CK), I32_SPLAT, I32X4_MUL, get(v), I32X4_SUB,
    get(ZA), I32_SPLAT, I32X4_MUL, vstore(16 * k),
  );
  return c(
    i32c(0), set(J),
    whileLoop(c(get(J), get(NG), i32c(3), SHL, LT_U), c(
      buf(ZW), get(J), i32c(2), SHL, ADD,
      get(PCZ), i32c(0), 0x47 /* ne */, get(J), get(CNB), LT_U, AND,
      0x04, I32, get(PCZ), get(NN), ADD, get(J), ADD, load8(0), get(BFLIP), XOR, EXTEND8_S, 0x05, get(ZWS), END,
      store(0),
      addTo(J, i32c(1)),
    )),
    i32c(0), set(G),
    whileLoop(c(get(G), get(NG), LT_U), c(sums, term(0, R0), term(1, R1), addTo(G, i32c(1)))),
  );
}

/** A[MM.., KK..] -> the A panel (rows KB apart, zero-padded) and ROW_SUMS. */
function packA(): Code {
  const src = c(get(ABASE), get(MM), get(I), ADD, get(LDA), MUL, ADD, get(KK), ADD);
  const dst = c(buf(A_PANEL), get(I), i32c(KB), MUL, ADD);
  const vector = c(
    get(P), get(J), ADD, vload(), set(X),
    get(Q), get(J), ADD, get(X), vstore(0),
    get(X), EXT_I8_U, EXT_I16_U, get(SUM), I32X4_ADD, set(SUM),
    addTo(J, i32c(16)),
  );
  const scalar = c(
    get(P), get(J), ADD, load8(0), set(T),
    get(Q), get(J), ADD, get(T), store8(0),
    addTo(S, get(T)),
    addTo(J, i32c(1)),
  );
  return c(
    buf(A_PANEL), i32c(0), i32c(MB * KB), MEMORY_FILL,
    i32c(0), set(I),
    whileLoop(c(get(I), get(CMB), LT_U), c(
      src, set(P), dst, set(Q), vconst0, set(SUM), i32c(0), set(J),
      whileLoop(c(get(J), i32c(16), ADD, get(CK), 0x4c /* le_s */), vector),
      get(SUM), lane(0), get(SUM), lane(1), ADD, get(SUM), lane(2), ADD, get(SUM), lane(3), ADD, set(S),
      whileLoop(c(get(J), get(CK), LT_U), scalar),
      buf(ROW_SUMS), get(I), i32c(2), SHL, ADD, get(S), store(0),
      addTo(I, i32c(1)),
    )),
  );
}

/** The tile of rows RG*R.., columns G*8..: accumulate over the block's k, then finish and store. */
function tile(): Code {
  const zero: Code = [];
  for (let r = 0; r < R; r++) for (const j of [0, 1]) zero.push(...vconst0, ...set(ACC[r][j]));
  const step: Code = c(get(PB), vload(0), set(B0), get(PB), vload(16), set(B1));
  for (let r = 0; r < R; r++) {
    const acc = ACC[r];
    step.push(...get(PA), ...splat32(r * KB), ...set(X));
    for (const j of [0, 1]) step.push(...get(j ? B1 : B0), ...get(X), ...get(acc[j]), ...RELAXED_DOT, ...set(acc[j]));
  }
  const kernel = c(
    buf(A_PANEL), get(RG), i32c(R * KB), MUL, ADD, set(PA),
    panelAt(get(G), i32c(0)), set(PB), get(CK4), set(KC),
    zero,
    doWhile(c(step, addTo(PA, i32c(4)), addTo(PB, i32c(32)), get(KC), i32c(1), SUB, tee(KC)), []),
  );
  // finish row r: v_j = A.W + colTerm - zw * rowSum; full 8 columns, or the 1..7 that remain
  const finish: Code = [];
  for (let r = 0; r < R; r++) {
    const row = c(get(RG), i32c(R), MUL, i32c(r), ADD);
    const value = (j: number) => c(
      get(ACC[r][j]),
      buf(COL_TERMS), get(G), i32c(5), SHL, ADD, vload(16 * j), I32X4_ADD,
      buf(ZW), get(G), i32c(5), SHL, ADD, vload(16 * j),
      buf(ROW_SUMS), row, i32c(2), SHL, ADD, load(0), I32_SPLAT, I32X4_MUL, I32X4_SUB,
    );
    const full = c(
      get(ROW), value(0), get(ROW), vload(0), get(MASK), V_AND, I32X4_ADD, vstore(0),
      get(ROW), value(1), get(ROW), vload(16), get(MASK), V_AND, I32X4_ADD, vstore(16),
    );
    const partial = c(
      buf(TMP), value(0), vstore(0), buf(TMP), value(1), vstore(16),
      i32c(0), set(J),
      whileLoop(c(get(J), get(T), LT_U), c(
        get(ROW), get(J), i32c(2), SHL, ADD, tee(P),
        buf(TMP), get(J), i32c(2), SHL, ADD, load(0),
        get(P), load(0), get(KEEP), AND, ADD, store(0),
        addTo(J, i32c(1)),
      )),
    );
    finish.push(...ifThen(c(row, get(CMB), LT_U), c(
      get(CBASE), get(MM), row, ADD, get(LDC), MUL, get(NN), ADD, get(G), i32c(3), SHL, ADD, i32c(2), SHL, ADD, set(ROW),
      ifThen(c(get(T), i32c(8), GE_U), full, partial),
    )));
  }
  return c(kernel, get(CNB), get(G), i32c(3), SHL, SUB, set(T) /* columns left in this group */, finish);
}

export function qgemmCore(): Code {
  const mBlock = c(
    minU(c(get(CM), get(MM), SUB), i32c(MB)), set(CMB),
    get(CMB), i32c(R - 1), ADD, i32c(R), 0x6e /* div_u */, set(NRG),
    packA(),
    i32c(0), set(RG),
    whileLoop(c(get(RG), get(NRG), LT_U), c(
      i32c(0), set(G),
      whileLoop(c(get(G), get(NG), LT_U), c(tile(), addTo(G, i32c(1)))),
      addTo(RG, i32c(1)),
    )),
    addTo(MM, i32c(MB)),
  );
  const nBlock = c(
    minU(c(get(CN), get(NN), SUB), i32c(NB)), set(CNB),
    get(CNB), i32c(7), ADD, i32c(3), SHR_U, set(NG),
    packB(), colTerms(),
    i32c(0), set(MM),
    whileLoop(c(get(MM), get(CM), LT_U), mBlock),
    addTo(NN, i32c(NB)),
  );
  const kBlock = c(
    minU(c(get(K), get(KK), SUB), i32c(KB)), set(CK),
    get(CK), i32c(3), ADD, i32c(2), SHR_U, set(CK4),
    // zero mode (first block, not accumulating): what C held is masked out
    i32c(0), i32c(-1), get(KK), EQZ, get(ACCUM), EQZ, AND, SELECT, tee(KEEP), I32_SPLAT, set(MASK),
    i32c(0), set(NN),
    whileLoop(c(get(NN), get(CN), LT_U), nBlock),
    addTo(KK, i32c(KB)),
  );
  return c(
    get(SHAPE), load(8), set(K),
    ifThen(c(get(K), EQZ, get(CM), EQZ, 0x72 /* or */, get(CN), EQZ, 0x72, EQZ), c(
      setup(),
      i32c(0), set(KK),
      whileLoop(c(get(KK), get(K), LT_U), kBlock),
    )),
  );
}

/**
 * After the core: the output processor (Data->OutputProcessor, a C++ object whose vtable's first
 * entry is Process(this, C, StartM, StartN, CountM, CountN, ldc)) over the whole range, where the
 * core ran and there is one. `processorType`: the call_indirect type index in ORT's module.
 */
export function outputProcessorCall(processorType: number): Code {
  return ifThen(c(get(K), i32c(0), 0x47, get(CM), i32c(0), 0x47, AND, get(CN), i32c(0), 0x47, AND, get(DATA), load(36), tee(P), i32c(0), 0x47, AND), c(
    get(P), get(DATA), load(28), get(SM), get(SN), get(CM), get(CN), get(DATA), load(32),
    get(P), load(0), load(0), 0x11, ...uleb(processorType), 0x00,
  ));
}
