/**
 * Swaps MLAS's two inner SGEMM kernels in ONNX Runtime's wasm binary for ort-sgemm-kernel.ts's
 * (FMA through relaxed SIMD, 6 rows at a time). Run at build time by vite.config.ts, which emits
 * the result beside the original; the workers load it only where the browser validates relaxed
 * SIMD (configureOrt). The binary has no names: the kernels are found by their signature,
 * (i32 x 8, f32) -> i32, which exactly two functions have, and told apart by running each on a
 * small problem (the add variant keeps what C held, the zero variant overwrites it). Anything
 * unexpected (a new ORT with another layout) throws, so a build never ships a wrong guess.
 */

import { section, uleb, vec, name } from '../math/wasm-asm';
import { SGEMM_KERNEL_TYPE, sgemmKernelBody } from './ort-sgemm-kernel';

export function readUleb(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [result, pos];
    shift += 7;
  }
}

export interface Section {
  id: number;
  header: number; // the section's id byte
  start: number; // first byte of the content
  end: number;
}

/** The module's sections, in order (content bounds and header offset). */
export function sections(b: Uint8Array): Section[] {
  if (b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) throw new Error('not a WebAssembly module');
  const out: Section[] = [];
  let pos = 8;
  while (pos < b.length) {
    const id = b[pos];
    const [size, start] = readUleb(b, pos + 1);
    out.push({ id, header: pos, start, end: start + size });
    pos = start + size;
  }
  return out;
}

const equal = (a: Uint8Array, b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Indices of the function types byte-equal to `want` (form, params, results). */
function typeIndicesMatching(b: Uint8Array, s: Section, want: number[]): Set<number> {
  const found = new Set<number>();
  let [count, pos] = readUleb(b, s.start);
  for (let i = 0; i < count; i++) {
    if (b[pos] !== 0x60) throw new Error(`type ${i}: only function types are expected (0x${b[pos].toString(16)})`);
    const begin = pos;
    let n: number;
    [n, pos] = readUleb(b, pos + 1);
    pos += n; // params, one byte each (numeric types)
    [n, pos] = readUleb(b, pos);
    pos += n;
    if (equal(b.subarray(begin, pos), want)) found.add(i);
  }
  return found;
}

function importedFunctionCount(b: Uint8Array, s: Section | undefined): number {
  if (!s) return 0;
  let [count, pos] = readUleb(b, s.start);
  let funcs = 0;
  for (let i = 0; i < count; i++) {
    let n: number;
    [n, pos] = readUleb(b, pos); pos += n; // module
    [n, pos] = readUleb(b, pos); pos += n; // field
    const kind = b[pos++];
    if (kind === 0) { [, pos] = readUleb(b, pos); funcs++; }
    else if (kind === 1) { pos++; const flags = b[pos++]; [, pos] = readUleb(b, pos); if (flags & 1) [, pos] = readUleb(b, pos); }
    else if (kind === 2) { const flags = b[pos++]; [, pos] = readUleb(b, pos); if (flags & 1) [, pos] = readUleb(b, pos); }
    else if (kind === 3) { pos += 2; }
    else throw new Error(`import ${i}: unknown kind ${kind}`);
  }
  return funcs;
}

/** A module with one memory and `body` as its only function, exported as `k`. */
export function standaloneKernel(body: ArrayLike<number>, pages = 2): Uint8Array<ArrayBuffer> {
  const code = Array.from(body);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([SGEMM_KERNEL_TYPE])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], [...name('k'), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/** MLAS's SGEMM kernel as JavaScript calls it from a standalone module: (A, B, C, K, M, N, lda, ldc, alpha) -> rows handled. */
export type SgemmKernel = (a: number, b: number, c: number, k: number, m: number, n: number, lda: number, ldc: number, alpha: number) => number;

/** 'zero' or 'add', from what the kernel does to a C that held ones, with A = 0. */
function variantOf(body: Uint8Array): 'zero' | 'add' {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(standaloneKernel(body)));
  const mem = new Float32Array((inst.exports.memory as WebAssembly.Memory).buffer);
  const k = inst.exports.k as SgemmKernel;
  // A at 0 (1 x 4 floats), B at 1024 (4 x 16), C at 4096 (16 floats)
  mem.fill(0);
  mem.fill(1, 1024, 4096 / 4 + 16);
  k(0, 1024 * 4, 4096, 4, 1, 16, 4, 16, 1);
  const c = mem.subarray(1024, 1024 + 16);
  if (c.every((v) => v === 1)) return 'add';
  if (c.every((v) => v === 0)) return 'zero';
  throw new Error('an SGEMM kernel candidate did neither C = AB nor C += AB');
}

export interface SgemmPatch {
  bytes: Uint8Array<ArrayBuffer>;
  /** function indices (imports counted) replaced, zero variant then add variant */
  replaced: [number, number];
  /** the original bodies, for tests that compare against them */
  original: { zero: Uint8Array; add: Uint8Array };
}

export interface Body { start: number; end: number }

/** The function bodies (code section order), and the function count. */
export function functionBodies(wasm: Uint8Array, codeSec: Section): Body[] {
  let [count, pos] = readUleb(wasm, codeSec.start);
  const bodies: Body[] = [];
  for (let i = 0; i < count; i++) {
    const [size, start] = readUleb(wasm, pos);
    bodies.push({ start, end: start + size });
    pos = start + size;
  }
  return bodies;
}

/** The module with the code section rebuilt, bodies in `replacement` swapped; every other byte kept. */
export function replaceBodies(wasm: Uint8Array, codeSec: Section, bodies: Body[], replacement: Map<number, ArrayLike<number>>): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [new Uint8Array(uleb(bodies.length))];
  let codeBytes = parts[0].length;
  for (let i = 0; i < bodies.length; i++) {
    const r = replacement.get(i);
    const body = r ? new Uint8Array(r) : wasm.subarray(bodies[i].start, bodies[i].end);
    const size = new Uint8Array(uleb(body.length));
    parts.push(size, body);
    codeBytes += size.length + body.length;
  }
  const header = new Uint8Array([10, ...uleb(codeBytes)]);
  const before = wasm.subarray(0, codeSec.header);
  const after = wasm.subarray(codeSec.end);
  const out = new Uint8Array(before.length + header.length + codeBytes + after.length);
  let at = 0;
  for (const p of [before, header, ...parts, after]) { out.set(p, at); at += p.length; }
  if (at !== out.length) throw new Error('patched module size mismatch');
  return out;
}

/** The patched binary. `fma` false swaps in the same kernel without relaxed SIMD (tests, measurements). */
export function patchOrtSgemm(wasm: Uint8Array, fma = true): SgemmPatch {
  const secs = sections(wasm);
  const get = (id: number) => secs.find((s) => s.id === id);
  const typeSec = get(1), funcSec = get(3), codeSec = get(10);
  if (!typeSec || !funcSec || !codeSec) throw new Error('module without types, functions or code');
  const types = typeIndicesMatching(wasm, typeSec, SGEMM_KERNEL_TYPE);
  const imported = importedFunctionCount(wasm, get(2));
  let [count, pos] = readUleb(wasm, funcSec.start);
  const candidates: number[] = [];
  for (let i = 0; i < count; i++) {
    let t: number;
    [t, pos] = readUleb(wasm, pos);
    if (types.has(t)) candidates.push(i);
  }
  if (candidates.length !== 2) throw new Error(`expected 2 functions with MLAS's SGEMM kernel signature, found ${candidates.length}`);
  const bodies = functionBodies(wasm, codeSec);
  if (bodies.length !== count) throw new Error('function and code sections disagree');
  const original: Partial<Record<'zero' | 'add', Uint8Array>> = {};
  const index: Partial<Record<'zero' | 'add', number>> = {};
  for (const f of candidates) {
    const body = wasm.slice(bodies[f].start, bodies[f].end);
    const v = variantOf(body);
    if (original[v]) throw new Error(`both SGEMM kernel candidates behave as ${v}`);
    original[v] = body;
    index[v] = f;
  }
  const replacement = new Map<number, number[]>([
    [index.zero!, sgemmKernelBody(true, fma)],
    [index.add!, sgemmKernelBody(false, fma)],
  ]);
  const out = replaceBodies(wasm, codeSec, bodies, replacement);
  return { bytes: out, replaced: [index.zero! + imported, index.add! + imported], original: { zero: original.zero!, add: original.add! } };
}

/** WebAssembly.validate on a module using one relaxed SIMD instruction (f32x4.relaxed_madd). */
export function hasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(standaloneKernel(sgemmKernelBody(true, true), 1));
  } catch {
    return false;
  }
}
