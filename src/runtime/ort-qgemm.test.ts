/**
 * The lab's QGEMM (ort-qgemm-kernel.ts) against integer arithmetic, and its splice into ONNX
 * Runtime's plain build (ort-qgemm-patch.ts). Node 20's V8 lowers the relaxed dot product without
 * VNNI (16-bit saturation), where it is exact only for activations under 128: the kernel's logic
 * (packing, tails, zero points, ranges, accumulate mode) is checked there on every engine, the full
 * u8 range where this engine's dot is exact, and the startup probe must agree with a larger test.
 * Full-range exactness in Chromium on an AVX-VNNI CPU is checked by e2e/no-webgpu.spec.ts (the
 * model's q8 logits equal ORT's own build's).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { ortDir } from './testing/ort-dir';
import { ORT_BUILDS } from './ort-files';
import { patchOrtQgemm } from './ort-qgemm-patch';
import { qgemmProblem, relaxedDotExact, runQgemm, standaloneQgemm, type QgemmProblem } from './ort-qgemm-probe';
import { functionBodies, patchOrtSgemm, sections } from './ort-wasm-patch';

// Relaxed SIMD is behind a flag in Node 20 (on in Chromium 114+). Liftoff, V8 11.3's baseline
// compiler, also computed wrong sums with this kernel in a 12-accumulator variant (Chromium 150 is
// exact in both tiers): TurboFan only, for modules compiled from here on in this process.
setFlagsFromString('--experimental-wasm-relaxed-simd');
setFlagsFromString('--no-liftoff');


/** Problems with tails in every dimension, sub-ranges, padded strides, both B types and zero-point kinds. */
function problems(count: number, maxA: number): QgemmProblem[] {
  let s = 12345;
  const rnd = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n);
  return Array.from({ length: count }, (_, t) => {
    const M = 1 + rnd(60), N = 1 + rnd(150), K = 1 + rnd(600);
    const sm = rnd(M), sn = rnd(N);
    return qgemmProblem(t + 1, {
      M, N, K, sm, cm: 1 + rnd(M - sm), sn, cn: 1 + rnd(N - sn),
      lda: K + rnd(5), ldb: N + rnd(5), ldc: N + rnd(5),
      bSigned: rnd(2) === 1, perColumn: rnd(2) === 1, accumulate: rnd(3) === 0,
    }, maxA);
  });
}

const exact = (k: ReturnType<typeof standaloneQgemm>, p: QgemmProblem) => {
  const { got, want } = runQgemm(k, p);
  return got.every((v, i) => v === want[i]);
};

describe('the lab QGEMM kernel', () => {
  it('equals integer arithmetic on 300 problems (activations under 128: exact on every lowering)', () => {
    const k = standaloneQgemm();
    const bad = problems(300, 128).filter((p) => !exact(k, p));
    expect(bad.map(({ M, N, K, sm, cm, sn, cn }) => ({ M, N, K, sm, cm, sn, cn }))).toEqual([]);
  });

  it('a wrong correction term would be caught: the same problems with the A zero point off by one differ', () => {
    const k = standaloneQgemm();
    const p = problems(5, 128)[0];
    const { got } = runQgemm(k, { ...p, zeroA: (p.zeroA + 1) & 255 });
    const { want } = runQgemm(k, p);
    expect(got.some((v, i) => v !== want[i])).toBe(true);
  });

  it("the startup probe agrees with 60 full-range problems on this engine", () => {
    const k = standaloneQgemm();
    const allExact = problems(60, 256).every((p) => exact(k, p));
    console.log(`relaxed dot exact on u8 here: ${relaxedDotExact()} (Node ${process.versions.v8})`);
    expect(relaxedDotExact()).toBe(allExact);
  });
});

describe("the QGEMM spliced into ORT's plain build", () => {
  const plain = () => patchOrtSgemm(readFileSync(join(ortDir(), ORT_BUILDS.cpu.wasm))).bytes;

  it('replaces exactly one function and keeps every other byte', () => {
    const before = plain();
    const p = patchOrtQgemm(before);
    expect(WebAssembly.validate(p.bytes)).toBe(true);
    const code = (b: Uint8Array) => sections(b).find((s) => s.id === 10)!;
    const a = functionBodies(before, code(before));
    const b = functionBodies(p.bytes, code(p.bytes));
    expect(b.length).toBe(a.length);
    const changed = a.flatMap((x, i) => (Buffer.compare(before.subarray(x.start, x.end), p.bytes.subarray(b[i].start, b[i].end)) ? [i] : []));
    expect(changed).toEqual([p.replaced]);
    // the kept prologue: MLAS's per-thread buffer of 36928 bytes is still allocated the same way
    const body = p.bytes.subarray(b[p.replaced].start, b[p.replaced].end);
    expect(Buffer.from(body).includes(Buffer.from([0x41, 0xc0, 0xa0, 0x02]))).toBe(true);
    // every section before and after the code section, byte for byte
    const [cb, cp] = [code(before), code(p.bytes)];
    expect(Buffer.compare(before.subarray(0, cb.header), p.bytes.subarray(0, cp.header))).toBe(0);
    expect(Buffer.compare(before.subarray(cb.end), p.bytes.subarray(cp.end))).toBe(0);
  });

  it('refuses the asyncify build (its copy of the function is instrumented) and a module without it', () => {
    expect(() => patchOrtQgemm(readFileSync(join(ortDir(), ORT_BUILDS.webgpu.wasm)))).toThrow(/QGEMM: unexpected prologue/);
    expect(() => patchOrtQgemm(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 10, 1, 0]))).toThrow(/expected 1 function/);
  });
});
