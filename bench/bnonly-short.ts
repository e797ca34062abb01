/** Short-run accuracy probe: tsx bench/bnonly-short.ts <steps> <batch> <lr> <decay 0|1> (bn vs full, depth 8, Fashion-MNIST 4000/500). */
import { useBackend } from '../src/bnonly/backend';
import { subset } from '../src/data/dataset';
import { loadFashionMnist } from '../src/bnonly/node-data';
import { nodeWasmDir } from '../src/bnonly/node-wasm';
import { DEFAULT_CONFIG, Run, initialParams } from '../src/bnonly/trainer';
await useBackend('wasm', { wasmPaths: nodeWasmDir() });
const d = loadFashionMnist();
const train = subset(d.train, 4000), test = subset(d.test, 500);
const [steps, batch, lr, ms] = process.argv.slice(2).map(Number);
const cfg = { ...DEFAULT_CONFIG, depth: 8, width: 16, steps, batch, lr, milestones: ms ? [0.5, 0.75] : [] };
const params = initialParams(cfg, train);
for (const mode of ['bn', 'full'] as const) {
  const r = new Run(mode, params, cfg, train);
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) r.trainStep();
  console.log(mode, steps, batch, lr, ms, 'acc', r.evaluate(test), ((performance.now() - t0) / 1000).toFixed(1), 's');
  r.dispose();
}
