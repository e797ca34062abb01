// Throughput loop shared by every inference measurement.
export interface Throughput {
  items_per_s: number; runs: number; items: number; seconds: number; first_run_ms: number; run_ms: number[];
  /** steps run before timing (at least one, for at least the warm-up time) and how long they took */
  warmup_runs: number; warmup_ms: number;
  /** wall-clock epoch ms of the timed loop, to match CPU-time samples taken outside */
  loop_start_epoch: number; loop_end_epoch: number;
}

/**
 * Runs `step` (which processes `per` items) to warm up, then repeatedly for at least `seconds`.
 * Warm-up: at least one step and at least `warmupSeconds`, on every side alike (browser and Node).
 * V8 runs WebAssembly first in its baseline code and optimises hot functions in the background; on
 * 2 busy cores that took about 3 s for ONNX Runtime's wasm (q8 vision, batches of 8: 750-860 ms per
 * batch at first, then 370-390 ms), so a shorter warm-up measured mostly the compiler. The vision
 * pairs compare steady states; cold starts are what the pipeline figures (first result) measure.
 */
export async function throughput(step: () => Promise<unknown>, per: number, seconds: number, minRuns = 3, warmupSeconds = 3): Promise<Throughput> {
  const t0 = performance.now();
  await step();
  const first = performance.now() - t0;
  let warmupRuns = 1;
  while (performance.now() - t0 < warmupSeconds * 1000) {
    await step();
    warmupRuns++;
  }
  const warmupMs = performance.now() - t0;
  const runMs: number[] = [];
  const start = performance.now();
  const loopStart = performance.timeOrigin + start;
  while (runMs.length < minRuns || performance.now() - start < seconds * 1000) {
    const t = performance.now();
    await step();
    runMs.push(performance.now() - t);
  }
  const end = performance.now();
  const total = (end - start) / 1000;
  return { items_per_s: (runMs.length * per) / total, runs: runMs.length, items: runMs.length * per,
    seconds: total, first_run_ms: first, warmup_runs: warmupRuns, warmup_ms: Math.round(warmupMs), run_ms: runMs.map((x) => Math.round(x)),
    loop_start_epoch: loopStart, loop_end_epoch: performance.timeOrigin + end };
}

/** Deterministic pseudo-random pixels in CLIP's normalized range. */
export function fakePixels(n: number, seed = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32) * 4 - 2;
  }
  return a;
}
