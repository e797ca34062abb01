/**
 * The horizontal pass of the PIL resample (nearly all of the work when a photo shrinks to 224 px)
 * as a WebAssembly SIMD kernel: one pixel's R, G, B in three i32 lanes, each weight pre-splatted
 * to four lanes, the same int32 products and sums as the JS pass (and Pillow), then the same
 * shift and 0..255 clamp (saturating narrows). Assembled here from its instructions, compiled
 * synchronously (< 4 KB). null where WebAssembly SIMD is unavailable: callers use the JS pass.
 */

import { I32, V128, get, moduleOf, set, simd, tee, uleb, vec } from '../math/wasm-asm';
const i32Const = (v: number) => [0x41, ...uleb(v)]; // small non-negative values < 64 only
const addTo = (l: number, v: number[]) => [...get(l), ...v, 0x6a, ...set(l)];
const decBrIf = (l: number) => [...get(l), 0x41, 1, 0x6b, ...tee(l), 0x0d, 0];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const HALF_X4 = simd(0x0c, ...[0, 0, 0x20, 0, 0, 0, 0x20, 0, 0, 0, 0x20, 0, 0, 0, 0x20, 0]); // v128.const i32x4 2^21

/**
 * hpass(src, stride, rows, coef, kk, ksize16, outW, out): for each of `rows` rows of `stride`
 * bytes from `src`, outW output pixels; coef = [byte offset of the first tap, tap count] (i32 pairs),
 * kk = ksize16 bytes of splatted i32 weights per output pixel; out = packed RGB, 1 byte of slack.
 */
function hpassBody(): number[] {
  const [SRC, STRIDE, ROWS, COEF, KK, KS16, OUTW, OUT] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [P, KB, N, CP, XX, COL, ACC] = [8, 9, 10, 11, 12, 13, 14];
  const shr22 = [...get(ACC), ...i32Const(22), ...simd(0xac)]; // i32x4.shr_s
  return [
    ...vec([[...uleb(6), I32], [...uleb(1), V128]]),
    ...get(ROWS), 0x45, 0x04, 0x40, 0x0f, 0x0b, // if rows == 0 return
    ...LOOP,
    ...get(COEF), ...set(CP), ...get(KK), ...set(COL), ...get(OUTW), ...set(XX),
    ...LOOP,
    ...get(SRC), ...get(CP), 0x28, 2, 0, 0x6a, ...set(P), // p = src + coef[0]
    ...get(CP), 0x28, 2, 4, ...set(N), // n = coef[1]
    ...get(COL), ...set(KB),
    ...HALF_X4, ...set(ACC),
    ...LOOP,
    ...get(ACC),
    ...get(P), ...simd(0x02, 0, 0), ...simd(0xa9), // v128.load8x8_u; i32x4.extend_low_i16x8_u
    ...get(KB), ...simd(0x00, 4, 0), // v128.load (splatted weight)
    ...simd(0xb5), ...simd(0xae), ...set(ACC), // i32x4.mul; i32x4.add
    ...addTo(P, i32Const(3)), ...addTo(KB, i32Const(16)),
    ...decBrIf(N),
    ...END,
    ...get(OUT), ...shr22, ...shr22, ...simd(0x85), ...set(ACC), // i16x8.narrow_i32x4_s
    ...get(ACC), ...get(ACC), ...simd(0x66), // i8x16.narrow_i16x8_u (clamps to 0..255)
    ...simd(0x5a, 0, 0, 0), // v128.store32_lane lane 0: R, G, B (+1 byte the next pixel overwrites)
    ...addTo(OUT, i32Const(3)), ...addTo(CP, i32Const(8)), ...addTo(COL, get(KS16)),
    ...decBrIf(XX),
    ...END,
    ...addTo(SRC, get(STRIDE)),
    ...decBrIf(ROWS),
    ...END,
    ...END,
  ];
}

/**
 * vpass(src, stride, outRows, coef, kk, ksize4, rowBytes, out): output row yy = sum over taps t of
 * kk[yy * ksize + t] * source row (coef[yy][0] / stride + t), 8 bytes (two i32x4) at a time;
 * coef = [byte offset of the first source row, tap count]. Rows of out are rowBytes apart; up to
 * 7 bytes past a row are written (the next row overwrites them; 8 bytes of slack at the end).
 */
function vpassBody(): number[] {
  const [SRC, STRIDE, ROWS, COEF, KK, KS4, RB, OUT] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [P, KB, N, I, BASE, A0, A1, V, W] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const shr22 = (l: number) => [...get(l), ...i32Const(22), ...simd(0xac)];
  return [
    ...vec([[...uleb(5), I32], [...uleb(4), V128]]),
    ...get(ROWS), 0x45, 0x04, 0x40, 0x0f, 0x0b,
    ...LOOP, // rows
    ...get(SRC), ...get(COEF), 0x28, 2, 0, 0x6a, ...set(BASE),
    ...i32Const(0), ...set(I),
    ...LOOP, // 8-byte groups
    ...get(BASE), ...get(I), 0x6a, ...set(P),
    ...get(KK), ...set(KB),
    ...get(COEF), 0x28, 2, 4, ...set(N),
    ...HALF_X4, ...set(A0), ...HALF_X4, ...set(A1),
    ...LOOP, // taps
    ...get(KB), 0x28, 2, 0, ...simd(0x11), ...set(W), // i32x4.splat(i32.load kb)
    ...get(P), ...simd(0x02, 0, 0), ...set(V), // v128.load8x8_u
    ...get(A0), ...get(V), ...simd(0xa9), ...get(W), ...simd(0xb5), ...simd(0xae), ...set(A0),
    ...get(A1), ...get(V), ...simd(0xaa), ...get(W), ...simd(0xb5), ...simd(0xae), ...set(A1), // extend_high_u
    ...addTo(P, get(STRIDE)), ...addTo(KB, i32Const(4)),
    ...decBrIf(N),
    ...END,
    ...get(OUT), ...get(I), 0x6a,
    ...shr22(A0), ...shr22(A1), ...simd(0x85), ...set(V),
    ...get(V), ...get(V), ...simd(0x66),
    ...simd(0x5b, 0, 0, 0), // v128.store64_lane lane 0
    ...addTo(I, i32Const(8)),
    ...get(I), ...get(RB), 0x48, 0x0d, 0, // br_if i < rowBytes (i32.lt_s)
    ...END,
    ...addTo(OUT, get(RB)), ...addTo(COEF, i32Const(8)), ...addTo(KK, get(KS4)),
    ...decBrIf(ROWS),
    ...END,
    ...END,
  ];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  return moduleOf(8, [['hpass', hpassBody()], ['vpass', vpassBody()]]);
}

interface Exports {
  memory: WebAssembly.Memory;
  hpass(src: number, stride: number, rows: number, coef: number, kk: number, ksize16: number, outW: number, out: number): void;
  vpass(src: number, stride: number, rows: number, coef: number, kk: number, ksize4: number, rowBytes: number, out: number): void;
}

let instance: Exports | null | undefined;

function kernel(): Exports | null {
  if (instance === undefined) {
    try {
      instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes())).exports as unknown as Exports;
    } catch {
      instance = null;
    }
  }
  return instance;
}

const CHUNK_BYTES = 1 << 20;

export interface PassCoeffs {
  ksize: number;
  /** [first input index, count] per output index */
  bounds: Int32Array;
  /** ksize fixed-point weights per output index */
  kk: Int32Array;
}

/**
 * Both passes in WebAssembly (the vertical one optional), or null (no SIMD, or a zero-tap window):
 * source rows [row0, row0 + rows) through `h` (source rows copied in ~1 MB chunks, so memory stays
 * small whatever the photo's size), the intermediate kept in the kernel's memory, then `v`
 * (bounds relative to row0). Returns packed RGB, h's width by v's height (or `rows`).
 */
export function resampleWasm(src: Uint8Array, srcWidth: number, row0: number, rows: number, h: PassCoeffs, v: PassCoeffs | null): Uint8ClampedArray | null {
  const k = kernel();
  if (!k) return null;
  const outW = h.bounds.length >> 1;
  const outH = v ? v.bounds.length >> 1 : rows;
  for (let x = 0; x < outW; x++) if (h.bounds[x * 2 + 1] < 1) return null;
  for (let y = 0; y < (v ? outH : 0); y++) if (v!.bounds[y * 2 + 1] < 1) return null;
  const stride = srcWidth * 3;
  const rowBytes = outW * 3;
  const chunkRows = Math.max(1, Math.min(rows, Math.floor(CHUNK_BYTES / stride)));
  const align = (n: number) => Math.ceil(n / 16) * 16;
  // layout: h coef | h weights (splatted) | v coef | v weights | source chunk | intermediate | output
  const hCoefAt = 0;
  const hKkAt = align(outW * 8);
  const vCoefAt = hKkAt + outW * h.ksize * 16;
  const vKkAt = align(vCoefAt + outH * 8);
  const srcAt = align(vKkAt + (v ? outH * v.ksize * 4 : 0));
  const midAt = align(srcAt + chunkRows * stride + 16);
  const outAt = align(midAt + rows * rowBytes + 16);
  const need = outAt + (v ? outH * rowBytes : 0) + 16;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  const i32 = new Int32Array(k.memory.buffer);
  for (let x = 0; x < outW; x++) {
    i32[(hCoefAt >> 2) + x * 2] = h.bounds[x * 2] * 3;
    i32[(hCoefAt >> 2) + x * 2 + 1] = h.bounds[x * 2 + 1];
    for (let t = 0; t < h.ksize; t++) {
      const at = (hKkAt >> 2) + (x * h.ksize + t) * 4;
      i32.fill(h.kk[x * h.ksize + t], at, at + 4);
    }
  }
  if (v) {
    for (let y = 0; y < outH; y++) {
      i32[(vCoefAt >> 2) + y * 2] = v.bounds[y * 2] * rowBytes;
      i32[(vCoefAt >> 2) + y * 2 + 1] = v.bounds[y * 2 + 1];
    }
    i32.set(v.kk, vKkAt >> 2);
  }
  const mem = new Uint8Array(k.memory.buffer);
  for (let y = 0; y < rows; y += chunkRows) {
    const n = Math.min(chunkRows, rows - y);
    mem.set(src.subarray((row0 + y) * stride, (row0 + y + n) * stride), srcAt);
    k.hpass(srcAt, stride, n, hCoefAt, hKkAt, h.ksize * 16, outW, midAt + y * rowBytes);
  }
  if (!v) return new Uint8ClampedArray(mem.slice(midAt, midAt + rows * rowBytes).buffer);
  k.vpass(midAt, rowBytes, outH, vCoefAt, vKkAt, v.ksize * 4, rowBytes, outAt);
  return new Uint8ClampedArray(mem.slice(outAt, outAt + outH * rowBytes).buffer);
}

/** The horizontal pass alone (tests call it on tiny inputs). */
export function horizontalPassWasm(src: Uint8Array, srcWidth: number, row0: number, rows: number,
  bounds: Int32Array, kk: Int32Array, ksize: number): Uint8ClampedArray | null {
  return resampleWasm(src, srcWidth, row0, rows, { bounds, kk, ksize }, null);
}
