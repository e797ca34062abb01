// Throughput loop shared by every inference measurement.
export interface Throughput {
  items_per_s: number; runs: number; items: number; seconds: number; first_run_ms: number; run_ms: number[];
  /** wall-clock epoch ms of the timed loop, to match CPU-time samples taken outside */
  loop_start_epoch: number; loop_end_epoch: number;
}

/** Runs `step` (which processes `per` items) once to warm up, then repeatedly for at least `seconds`. */
export async function throughput(step: () => Promise<unknown>, per: number, seconds: number, minRuns = 3): Promise<Throughput> {
  const t0 = performance.now();
  await step();
  const first = performance.now() - t0;
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
    seconds: total, first_run_ms: first, run_ms: runMs.map((x) => Math.round(x)),
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
