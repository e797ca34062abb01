/**
 * Training throughput (images/s) of open_lth ResNet-20 (width 16, batch 128, CIFAR shape 32x32x3) in Node,
 * per TF.js backend and trainable set. Writes docs/benchmarks/bnonly-node.json.
 * Usage: tsx bench/bnonly.ts [--backends wasm,cpu] [--modes full,bn] [--steps 3] [--depth 20] [--batch 128]
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { type BackendName, useBackend } from '../src/bnonly/backend';
import type { ImageDataset } from '../src/bnonly/dataset';
import type { Mode } from '../src/bnonly/modes';
import { nodeWasmDir } from '../src/bnonly/node-wasm';
import { DEFAULT_CONFIG, Run, initialParams } from '../src/bnonly/trainer';
import { Rng } from '../src/bnonly/rng';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

const backends = arg('backends', 'wasm').split(',') as BackendName[];
const modes = arg('modes', 'full,bn').split(',') as Mode[];
const steps = Number(arg('steps', '3'));
const depth = Number(arg('depth', '20'));
const batch = Number(arg('batch', '128'));
const out = arg('out', 'docs/benchmarks/bnonly-node.json');

function synthetic(n: number): ImageDataset {
  const rng = new Rng(1);
  const images = new Uint8Array(n * 32 * 32 * 3);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = new Uint8Array(n).map(() => rng.int(10));
  return { name: 'cifar10', n, height: 32, width: 32, channels: 3, images, labels, classes: [...'0123456789'] };
}

const data = synthetic(batch * 2);
const results: Record<string, unknown>[] = [];
for (const backend of backends) {
  await useBackend(backend, { wasmPaths: nodeWasmDir() });
  for (const mode of modes) {
    const cfg = { ...DEFAULT_CONFIG, depth, batch, steps: 1000 };
    const run = new Run(mode, initialParams(cfg, data), cfg, data);
    run.trainStep(); // warm-up: kernel setup, XNNPACK operator caches
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) run.trainStep();
    const sec = (performance.now() - t0) / 1000;
    const r = { backend, mode, depth, width: 16, batch, steps, seconds: +sec.toFixed(2), images_per_s: +((steps * batch) / sec).toFixed(1) };
    console.error(JSON.stringify(r));
    results.push(r);
    run.dispose();
  }
}

let pytorch: unknown = null;
const torchFile = 'docs/benchmarks/bnonly-pytorch.json';
if (existsSync(torchFile)) pytorch = JSON.parse(readFileSync(torchFile, 'utf8'));
const report = {
  what: 'open_lth cifar_resnet_20_16 training images/s, batch 128, 32x32x3 synthetic inputs',
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, tfjs: tf.version.tfjs },
  note: 'TF.js disables wasm threads in Node (1 thread); PyTorch reference uses 2 threads',
  issue_reference_pytorch_cpu_2_threads: { full: 487, bn: 934 },
  pytorch,
  results,
};
mkdirSync('docs/benchmarks', { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
