/**
 * Diagnostics: the bench's in-browser training figure alone (no PyTorch, no other section), for quick A/B runs.
 * tsx bench/bnonly-browser.ts [modes=full,bn] [threads=1,2] [steps=4] [--build]
 * threads: 1 = single-threaded SIMD build, n > 1 = the lab's threaded build (src/bnonly/backend.ts configureWasmThreads).
 * --build rebuilds bench/dist first (needed after changing src/bnonly or bench/pages).
 */
import os from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { openBench } from './browser';
import { benchDir, startServer } from './server';

const [modes = 'full,bn', threads = '1,2', steps = '4'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (process.argv.includes('--build')) await build({ configFile: join(benchDir, 'vite.config.ts'), logLevel: 'error' });
const srv = await startServer(join(benchDir, 'dist'), {});
const g = await openBench(srv.url);
try {
  for (const mode of modes.split(',')) {
    for (const t of threads.split(',').map(Number)) {
      const r = await g.call('trainBench', { backend: 'wasm', mode, depth: 20, batch: 128, threads: t, warmup: 2, steps: Number(steps), budgetS: 120, initTimeoutS: 60 });
      console.log(JSON.stringify({ mode, threads: r.threads, images_per_s: +r.images_per_s.toFixed(1), best_images_per_s: +r.best_images_per_s.toFixed(1), step_ms: r.step_ms, first_loss: r.losses[0], loadavg_1m: +os.loadavg()[0].toFixed(1) }));
    }
  }
} finally {
  await g.close();
  await srv.close();
}
