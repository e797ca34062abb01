// No imports: vite.config.ts reads this list at build time.

/**
 * ORT's two wasm builds of the same version. transformers.js imports the `onnxruntime-web/webgpu`
 * bundle, which asks for the asyncify build (WebGPU and CPU execution providers). For the CPU
 * provider the plain build is a drop-in with the same kernels (same CPU time per image, see
 * docs/benchmarks/README.md) at half the size: 14.3 MB against 26.9 MB to compile, and V8's
 * compile and tier-up of that code competes with the first inferences on the same cores.
 */
export const ORT_BUILDS = {
  webgpu: { mjs: 'ort-wasm-simd-threaded.asyncify.mjs', wasm: 'ort-wasm-simd-threaded.asyncify.wasm' },
  cpu: { mjs: 'ort-wasm-simd-threaded.mjs', wasm: 'ort-wasm-simd-threaded.wasm' },
} as const;

/** Every file of ORT's package that vite.config.ts serves and emits under ort/. */
export const ORT_FILES: readonly string[] = Object.values(ORT_BUILDS).flatMap((b) => [b.mjs, b.wasm]);

/**
 * The same wasm with MLAS's inner SGEMM kernel swapped for the lab's FMA kernel
 * (src/runtime/ort-wasm-patch.ts), made at build time; loaded where the browser has relaxed SIMD.
 */
export const relaxedWasm = (wasm: string): string => wasm.replace(/\.wasm$/, '.relaxed.wasm');

/**
 * The plain build with, besides the FMA kernel, the lab's QGEMM (src/runtime/ort-qgemm-patch.ts,
 * u8 x s8 relaxed dot product); loaded where that dot product is exact (src/runtime/ort-qgemm-probe.ts).
 */
export const relaxedDotWasm = (wasm: string): string => wasm.replace(/\.wasm$/, '.relaxed-dot.wasm');

/** Patched files served and emitted under ort/ beside the originals: patched name -> ORT's file and the patches. */
export const ORT_PATCHED: Readonly<Record<string, { from: string; qgemm: boolean }>> = {
  ...Object.fromEntries(Object.values(ORT_BUILDS).map((b) => [relaxedWasm(b.wasm), { from: b.wasm, qgemm: false }])),
  [relaxedDotWasm(ORT_BUILDS.cpu.wasm)]: { from: ORT_BUILDS.cpu.wasm, qgemm: true },
};
