/**
 * WebAssembly SIMD kernels for the two products the lab repeats most: row-by-vector dot products
 * (search ranking over 100k embeddings, probe logits) and rank-1 accumulation (probe gradients).
 * Plain JS runs about 0.5 GFLOP/s here; f32x4 with 4 accumulators runs ~8x faster. The module is
 * assembled below from its instructions (no binary blob, no build step) and compiled synchronously
 * (it is < 4 KB, which browsers allow on any thread).
 *
 * All lengths in bytes are multiples of 64 (callers pad rows to 16 floats).
 */

import { I32, V128, get, moduleOf, set, simd, uleb, vec } from './wasm-asm';
const v128Load = (offset: number) => simd(0x00, 4, ...uleb(offset));
const v128Store = (offset: number) => simd(0x0b, 4, ...uleb(offset));
const f32x4Add = simd(0xe4);
const f32x4Mul = simd(0xe6);
const f32x4Splat = simd(0x13);
const lane = (k: number) => simd(0x1f, k);
const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0));
const LOOP = [0x03, 0x40];
const END = [0x0b];
const brIfLtU = (a: number, b: number) => [...get(a), ...get(b), 0x49, 0x0d, 0];
const decAndLoop = (l: number) => [...get(l), 0x41, 1, 0x6b, 0x22, l, 0x0d, 0];
const returnIfZero = (l: number) => [...get(l), 0x45, 0x04, 0x40, 0x0f, 0x0b];

function add64(l: number): number[] {
  // i32.const 64 needs two sleb bytes (0xc0 0x00)
  return [...get(l), 0x41, 0xc0, 0x00, 0x6a, ...set(l)];
}

/**
 * dots(x, q, n, dBytes, out): out[i] = x_i · q for n rows of x.
 * params 0..4; locals: 5 end, 6 qp, 7..10 accumulators.
 */
function dotsBody(): number[] {
  const [X, Q, N, D, OUT, E, QP] = [0, 1, 2, 3, 4, 5, 6];
  const acc = (a: number, off: number) => [...get(a), ...get(X), ...v128Load(off), ...get(QP), ...v128Load(off), ...f32x4Mul, ...f32x4Add, ...set(a)];
  return [
    ...vec([[...uleb(2), I32], [...uleb(4), V128]]),
    ...returnIfZero(N),
    ...LOOP,
    ...v128Zero, ...set(7), ...v128Zero, ...set(8), ...v128Zero, ...set(9), ...v128Zero, ...set(10),
    ...get(Q), ...set(QP),
    ...get(X), ...get(D), 0x6a, ...set(E),
    ...LOOP,
    ...acc(7, 0), ...acc(8, 16), ...acc(9, 32), ...acc(10, 48),
    ...add64(X), ...add64(QP),
    ...brIfLtU(X, E),
    ...END,
    ...get(7), ...get(8), ...f32x4Add, ...get(9), ...get(10), ...f32x4Add, ...f32x4Add, ...set(7),
    ...get(OUT),
    ...get(7), ...lane(0), ...get(7), ...lane(1), 0x92, ...get(7), ...lane(2), ...get(7), ...lane(3), 0x92, 0x92,
    0x38, 2, 0, // f32.store
    ...get(OUT), 0x41, 4, 0x6a, ...set(OUT),
    ...decAndLoop(N),
    ...END,
    ...END,
  ];
}

/**
 * rank1(out, a, x, rows, dBytes): out_r += a[r] * x for r < rows (out is rows × d).
 * params 0..4; locals: 5 end, 6 xp, 7 splat.
 */
function rank1Body(): number[] {
  const [OUT, A, X, R, D, E, XP, S] = [0, 1, 2, 3, 4, 5, 6, 7];
  const upd = (off: number) => [...get(OUT), ...get(OUT), ...v128Load(off), ...get(S), ...get(XP), ...v128Load(off), ...f32x4Mul, ...f32x4Add, ...v128Store(off)];
  return [
    ...vec([[...uleb(2), I32], [...uleb(1), V128]]),
    ...returnIfZero(R),
    ...LOOP,
    ...get(A), 0x2a, 2, 0, ...f32x4Splat, ...set(S), // f32.load a; splat
    ...get(X), ...set(XP),
    ...get(OUT), ...get(D), 0x6a, ...set(E),
    ...LOOP,
    ...upd(0), ...upd(16), ...upd(32), ...upd(48),
    ...add64(OUT), ...add64(XP),
    ...brIfLtU(OUT, E),
    ...END,
    ...get(A), 0x41, 4, 0x6a, ...set(A),
    ...decAndLoop(R),
    ...END,
    ...END,
  ];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  return moduleOf(5, [['dots', dotsBody()], ['rank1', rank1Body()]]);
}

export interface Kernels {
  memory: WebAssembly.Memory;
  dots(x: number, q: number, n: number, dBytes: number, out: number): void;
  rank1(out: number, a: number, x: number, rows: number, dBytes: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * A fresh kernel instance with its own memory (so a search index and a probe training never
 * share one), or null where WebAssembly SIMD is unavailable (callers fall back to JS).
 */
export function simdKernels(): Kernels | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  return compiled ? (new WebAssembly.Instance(compiled).exports as unknown as Kernels) : null;
}

/** Bytes in one WebAssembly memory page. */
export const WASM_PAGE = 65_536;

/**
 * The most bytes one kernel instance's memory can hold. The module (src/math/wasm-asm.ts moduleOf) declares
 * its memory with a minimum of one page and NO maximum, so the limit is the engine's for wasm32: 65,536
 * pages = 4 GiB in Chrome, Firefox and Node on 64-bit (some 32-bit or mobile engines stop earlier: there
 * `memory.grow` throws, and callers say so). Addresses and lengths passed to the kernels are i32 values
 * read as unsigned, so offsets up to this limit work.
 */
export const WASM_MEMORY_LIMIT = 65_536 * WASM_PAGE;

/** Pads a dimension to the kernels' 16-float granularity. */
export const padDim = (d: number): number => Math.ceil(d / 16) * 16;

/** A bump allocator over one kernel instance's memory. */
export class KernelArena {
  private top = 0;
  constructor(readonly kernels: Kernels) {}
  reset(): void {
    this.top = 0;
  }
  /** Byte offset of `floats` fresh float32 slots (64-byte aligned). */
  alloc(floats: number): number {
    const at = this.top;
    this.top += Math.ceil((floats * 4) / 64) * 64;
    const have = this.kernels.memory.buffer.byteLength;
    if (this.top > have) this.kernels.memory.grow(Math.ceil((this.top - have) / 65536));
    return at;
  }
  /** A view over the whole memory; take a fresh one after any alloc (growth detaches it). */
  f32(): Float32Array {
    return new Float32Array(this.kernels.memory.buffer);
  }
}
