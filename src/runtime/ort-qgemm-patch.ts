/**
 * Swaps MLAS's quantized GEMM operation in ONNX Runtime's plain wasm build for
 * ort-qgemm-kernel.ts's (relaxed SIMD dot product on u8 x s8, 4 rows x 8 columns). The binary has no names:
 * the function is the only one that allocates MLAS's 36928-byte per-thread QGEMM buffer
 * (i32.const 36928, twice, in its prologue). Its prologue (that allocation) and epilogue (the
 * stack pointer restored) are kept byte for byte; only what runs between them is ours. Anything
 * unexpected throws, so a build never ships a wrong guess.
 *
 * Only the plain build: in the asyncify build (WebGPU) the same function is instrumented for
 * unwinding (its prologue differs), and a q8 model there runs on the GPU anyway.
 */

import { uleb, vec } from '../math/wasm-asm';
import { BUF, MLAS_QGEMM_BUFFER_BYTES, QGEMM_LOCALS, outputProcessorCall, qgemmCore } from './ort-qgemm-kernel';
import { functionBodies, patchOrtSgemm, readUleb, replaceBodies, sections } from './ort-wasm-patch';

/** Offsets where `needle` occurs in `hay`. */
function find(hay: Uint8Array, needle: readonly number[]): number[] {
  const at: number[] = [];
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    at.push(i);
  }
  return at;
}
const SIZE = [0x41, 0xc0, 0xa0, 0x02]; // i32.const 36928 (MLAS_QGEMM_BUFFER_BYTES)
// global.get 0 (stack pointer); i32.const 16; i32.sub; local.tee 14; global.set 0; global.get <TLS>
const HEAD = [0x23, 0x00, 0x41, 0x10, 0x6b, 0x22, 0x0e, 0x24, 0x00, 0x23];
// local.tee 8; i32.const 444; i32.add; i32.load; i32.const 36927; i32.le_u (the buffer's size in TLS)
const HEAD_REST = [0x22, 0x08, 0x41, 0xbc, 0x03, 0x6a, 0x28, 0x02, 0x00, 0x41, 0xbf, 0xa0, 0x02, 0x4d];
const AFTER_PROLOGUE = [0x20, 0x01, 0x28, 0x02, 0x20]; // local.get 1 (Data); i32.load offset=32 (ldc)
const BUFFER_AT = [0x28, 0x02, 0xa4, 0x03]; // i32.load offset=420: the buffer pointer in TLS
const BUFFER_SET = [0x36, 0x02, 0xa4, 0x03]; // i32.store offset=420: the prologue's new buffer
const EPILOGUE = [0x20, 0x0e, 0x41, 0x10, 0x6a, 0x24, 0x00]; // stack pointer = local 14 + 16
const PROCESS = [0x28, 0x02, 0x00, 0x28, 0x02, 0x00, 0x11]; // vtable, Process, call_indirect

export interface QgemmPatch {
  bytes: Uint8Array<ArrayBuffer>;
  /** the function's index in the code section */
  replaced: number;
}

export function patchOrtQgemm(wasm: Uint8Array): QgemmPatch {
  const codeSec = sections(wasm).find((s) => s.id === 10);
  if (!codeSec) throw new Error('module without code');
  const bodies = functionBodies(wasm, codeSec);
  const found = bodies.flatMap((b, i) => (find(wasm.subarray(b.start, b.end), SIZE).length === 2 ? [i] : []));
  if (found.length !== 1) throw new Error(`expected 1 function allocating MLAS's ${MLAS_QGEMM_BUFFER_BYTES}-byte QGEMM buffer, found ${found.length}`);
  const body = wasm.subarray(bodies[found[0]].start, bodies[found[0]].end);
  let [groups, pos] = readUleb(body, 0);
  for (let g = 0; g < groups; g++) pos = readUleb(body, pos)[1] + 1; // count, then a one-byte type
  const code = body.subarray(pos);
  const tlsGlobal = code[HEAD.length];
  if (find(code.subarray(0, HEAD.length), HEAD)[0] !== 0 || tlsGlobal >= 0x80 || find(code.subarray(HEAD.length + 1, HEAD.length + 1 + HEAD_REST.length), HEAD_REST)[0] !== 0)
    throw new Error('QGEMM: unexpected prologue');
  const cut = find(code, AFTER_PROLOGUE)[0];
  if (cut === undefined || code[cut - 1] !== 0x0b) throw new Error('QGEMM: prologue end not found');
  const prologue = code.subarray(0, cut);
  if (find(prologue, SIZE).length !== 2 || !find(prologue, BUFFER_SET).length) throw new Error('QGEMM: prologue without the buffer allocation');
  if (find(code.subarray(code.length - EPILOGUE.length - 1), [...EPILOGUE, 0x0b])[0] !== 0) throw new Error('QGEMM: unexpected epilogue');
  const calls = find(code, PROCESS);
  if (calls.length !== 1) throw new Error(`QGEMM: expected 1 output processor call, found ${calls.length}`);
  const [processorType, next] = readUleb(code, calls[0] + PROCESS.length);
  if (code[next] !== 0x00) throw new Error('QGEMM: output processor call on another table');
  const replacement = [
    ...vec(QGEMM_LOCALS.map(([n, t]) => [...uleb(n), t])),
    ...prologue,
    0x23, tlsGlobal, ...BUFFER_AT, 0x21, ...uleb(BUF), // BUF = the per-thread buffer
    ...qgemmCore(),
    ...outputProcessorCall(processorType),
    ...EPILOGUE, 0x0b,
  ];
  return { bytes: replaceBodies(wasm, codeSec, bodies, new Map([[found[0], replacement]])), replaced: found[0] };
}

/** One of ORT_PATCHED's files from ORT's own: the FMA SGEMM kernel, and the QGEMM where asked. */
export function patchOrt(wasm: Uint8Array, patches: { qgemm: boolean }): Uint8Array<ArrayBuffer> {
  const sgemm = patchOrtSgemm(wasm).bytes;
  return patches.qgemm ? patchOrtQgemm(sgemm).bytes : sgemm;
}
