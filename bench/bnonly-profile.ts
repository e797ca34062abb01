/** Per-kernel time of one ResNet-20 training step (diagnostics for bench/bnonly.ts). tsx bench/bnonly-profile.ts [mode] [backend] */
import * as tf from '@tensorflow/tfjs';
import { type BackendName, useBackend } from '../src/bnonly/backend';
import type { Mode } from '../src/bnonly/modes';
import { nodeWasmDir } from '../src/bnonly/node-wasm';
import { DEFAULT_CONFIG, Run, initialParams } from '../src/bnonly/trainer';

const mode = (process.argv[2] ?? 'bn') as Mode;
await useBackend((process.argv[3] ?? 'wasm') as BackendName, { wasmPaths: nodeWasmDir() });
const n = 128;
const images = new Uint8Array(n * 32 * 32 * 3).map((_, i) => (i * 7919) % 256);
const data = { name: 'cifar10', n, height: 32, width: 32, channels: 3, images, labels: new Uint8Array(n).map((_, i) => i % 10), classes: [...'0123456789'] };
const cfg = { ...DEFAULT_CONFIG, depth: 20, batch: n };
const run = new Run(mode, initialParams(cfg, data), cfg, data);
run.trainStep();
const t0 = performance.now();
const info = await tf.profile(() => {
  run.trainStep();
});
const total = performance.now() - t0;
const by = new Map<string, { ms: number; count: number }>();
for (const k of info.kernels) {
  const e = by.get(k.name) ?? { ms: 0, count: 0 };
  e.ms += k.kernelTimeMs as number;
  e.count++;
  by.set(k.name, e);
}
const rows = [...by].sort((a, b) => b[1].ms - a[1].ms);
let sum = 0;
for (const [name, e] of rows) {
  sum += e.ms;
  console.log(name.padEnd(24), e.ms.toFixed(1).padStart(8), 'ms', String(e.count).padStart(5));
}
console.log('kernel sum', sum.toFixed(0), 'ms; wall', total.toFixed(0), 'ms');
