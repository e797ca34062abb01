/**
 * Whether this browser's relaxed dot product is exact on unsigned bytes, by running the lab's QGEMM
 * (ort-qgemm-kernel.ts) on a small problem and comparing with integer arithmetic. The kernel feeds
 * u8 activations (0..255) to i32x4.relaxed_dot_i8x16_i7x16_add_s, whose second operand the spec
 * only defines on 0..127: V8 lowers it to VPDPBUSD where the CPU has AVX-VNNI (exact on u8 x s8),
 * and elsewhere to PMADDUBSW + PMADDWD (16-bit saturation) or to a signed dot (AVX-VNNI-INT8, Arm),
 * both wrong for bytes over 127. The patched ORT build with this kernel is loaded only where this
 * check passes (configureOrt); the problem includes 255 x -128 pairs, which saturate 16 bits.
 */
import { moduleOf, uleb, vec } from '../math/wasm-asm';
import { BUF, QGEMM_LOCALS, qgemmCore } from './ort-qgemm-kernel';

export type Qgemm = (shape: number, data: number, startM: number, countM: number, startN: number, countN: number) => void;

/** The kernel alone (no prologue, no output processor) in a module of its own; BUF is read from address 0. */
export function standaloneQgemm(): { q: Qgemm; memory: WebAssembly.Memory } {
  const body = [...vec(QGEMM_LOCALS.map(([n, t]) => [...uleb(n), t])), 0x41, 0, 0x28, 2, 0, 0x21, ...uleb(BUF), ...qgemmCore(), 0x0b];
  const inst = new WebAssembly.Instance(new WebAssembly.Module(moduleOf(6, [['q', body]])));
  return { q: inst.exports.q as Qgemm, memory: inst.exports.memory as WebAssembly.Memory };
}

export interface QgemmProblem {
  M: number; N: number; K: number;
  /** the range computed: rows [sm, sm+cm), columns [sn, sn+cn) */
  sm: number; cm: number; sn: number; cn: number;
  lda: number; ldb: number; ldc: number;
  bSigned: boolean; perColumn: boolean; accumulate: boolean;
  A: Uint8Array; B: Uint8Array; zeroA: number; zeroB: Uint8Array; C: Int32Array;
}

/** C after the kernel, and after integer arithmetic (what MLAS computes), for one problem. */
export function runQgemm(k: { q: Qgemm; memory: WebAssembly.Memory }, p: QgemmProblem): { got: Int32Array; want: Int32Array } {
  const need = 1024 + 36928 + p.A.length + p.B.length + p.C.length * 4 + p.zeroB.length + 64 * 8;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  const u8 = new Uint8Array(k.memory.buffer);
  const dv = new DataView(k.memory.buffer);
  let at = 1024;
  const put = (bytes: Uint8Array) => {
    const where = at;
    u8.set(bytes, where);
    at += (bytes.length + 63) & ~63;
    return where;
  };
  dv.setUint32(0, put(new Uint8Array(36928)), true);
  const [A, B, C, ZB, shape, data] = [p.A, p.B, new Uint8Array(p.C.buffer.slice(0)), p.zeroB, new Uint8Array(16), new Uint8Array(40)].map(put);
  dv.setUint32(shape + 8, p.K, true);
  u8[shape + 13] = +p.bSigned;
  u8[shape + 14] = +p.accumulate;
  dv.setUint32(data, A, true);
  dv.setUint32(data + 4, p.lda, true);
  u8[data + 8] = p.zeroA;
  dv.setUint32(data + 12, B, true);
  dv.setUint32(data + 16, p.ldb, true);
  dv.setUint32(data + 20, ZB, true);
  u8[data + 25] = +p.perColumn;
  dv.setUint32(data + 28, C, true);
  dv.setUint32(data + 32, p.ldc, true);
  k.q(shape, data, p.sm, p.cm, p.sn, p.cn);
  const got = new Int32Array(k.memory.buffer.slice(C, C + p.C.length * 4));
  const want = Int32Array.from(p.C);
  const b = (kk: number, j: number) => (p.bSigned ? (p.B[kk * p.ldb + j] << 24) >> 24 : p.B[kk * p.ldb + j]);
  const zb = (j: number) => {
    const z = p.zeroB[p.perColumn ? j : 0];
    return p.bSigned ? (z << 24) >> 24 : z;
  };
  for (let i = p.sm; i < p.sm + p.cm; i++) {
    for (let j = p.sn; j < p.sn + p.cn; j++) {
      let s = 0;
      for (let kk = 0; kk < p.K; kk++) s += (p.A[i * p.lda + kk] - p.zeroA) * (b(kk, j) - zb(j));
      want[i * p.ldc + j] = p.accumulate ? (want[i * p.ldc + j] + s) | 0 : s;
    }
  }
  return { got, want };
}

/** A deterministic problem; `maxA` 128 keeps activations in the range every lowering computes exactly. */
export function qgemmProblem(seed: number, shape: Partial<QgemmProblem> & { M: number; N: number; K: number }, maxA = 256): QgemmProblem {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const { M, N, K } = shape;
  const lda = shape.lda ?? K, ldb = shape.ldb ?? N, ldc = shape.ldc ?? N;
  const bytes = (n: number, max = 256) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * max));
  return {
    sm: 0, cm: M, sn: 0, cn: N, bSigned: false, perColumn: false, accumulate: false, zeroA: Math.floor(rnd() * 256),
    ...shape, lda, ldb, ldc,
    A: shape.A ?? bytes(M * lda, maxA), B: shape.B ?? bytes(K * ldb), zeroB: shape.zeroB ?? bytes(N),
    C: shape.C ?? Int32Array.from({ length: M * ldc }, () => Math.floor(rnd() * 2000) - 1000),
  };
}

let verdict: boolean | undefined;

/** True where the kernel computes u8 x s8 exactly (checked once per thread; false without relaxed SIMD). */
export function relaxedDotExact(): boolean {
  if (verdict !== undefined) return verdict;
  try {
    const k = standaloneQgemm();
    // saturating pairs first (255 x -128 twice = -65280: PMADDUBSW clamps it), then random bytes with tails
    const sat = qgemmProblem(1, { M: 5, N: 11, K: 37, bSigned: true, zeroA: 0, A: new Uint8Array(5 * 37).fill(255), B: new Uint8Array(37 * 11).fill(0x80), zeroB: new Uint8Array(11) });
    const problems = [sat, qgemmProblem(2, { M: 7, N: 19, K: 70 }), qgemmProblem(3, { M: 13, N: 9, K: 300, sm: 2, cm: 9, sn: 1, cn: 7, bSigned: true, perColumn: true })];
    verdict = problems.every((p) => {
      const { got, want } = runQgemm(k, p);
      return got.every((v, i) => v === want[i]);
    });
  } catch {
    verdict = false; // no relaxed SIMD (the module does not validate)
  }
  return verdict;
}
