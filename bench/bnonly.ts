/**
 * Training throughput (images/s) of open_lth ResNet-20 (width 16, batch 128, 32x32x3 inputs) in Node on TF.js
 * backends, beside PyTorch on the CPU (Debian's python3-torch, bench/torch_resnet.py) for the same network and
 * batch, run interleaved mode by mode so both see the same machine load. Writes docs/benchmarks/bnonly-node.json.
 * Usage: tsx bench/bnonly.ts [--backends wasm] [--modes full,bn] [--steps 3] [--depth 20] [--batch 128]
 *        [--torch /usr/bin/python3|none] [--torch-threads 2] [--out docs/benchmarks/bnonly-node.json]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { type BackendName, useBackend } from '../src/bnonly/backend';
import type { ImageDataset } from '../src/data/dataset';
import type { Mode } from '../src/bnonly/modes';
import { nodeWasmDir } from '../src/bnonly/node-wasm';
import { Rng } from '../src/math/rng';
import { DEFAULT_CONFIG, Run, initialParams } from '../src/bnonly/trainer';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

const backends = arg('backends', 'wasm').split(',') as BackendName[];
const modes = arg('modes', 'full,bn').split(',') as Mode[];
const steps = Number(arg('steps', '3'));
const depth = Number(arg('depth', '20'));
const batch = Number(arg('batch', '128'));
const python = arg('torch', '/usr/bin/python3');
const torchThreads = Number(arg('torch-threads', '2'));
const out = arg('out', 'docs/benchmarks/bnonly-node.json');

function synthetic(n: number): ImageDataset {
  const rng = new Rng(1);
  const images = new Uint8Array(n * 32 * 32 * 3);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = new Uint8Array(n).map(() => rng.int(10));
  return { name: 'cifar10', n, height: 32, width: 32, channels: 3, images, labels, classes: [...'0123456789'] };
}

function torchRun(mode: Mode): { images_per_s: number; seconds: number; torch: string } | { error: string } {
  if (python === 'none') return { error: 'skipped' };
  try {
    const args = ['bench/torch_resnet.py', '--modes', mode, '--steps', String(Math.max(steps, 3)), '--depth', String(depth), '--batch', String(batch), '--threads', String(torchThreads)];
    const r = JSON.parse(execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    return { ...r.results[0], torch: r.torch };
  } catch (e) {
    return { error: `PyTorch reference unavailable (${python}: ${(e as Error).message.split('\n')[0]}); apt-get install python3-torch` };
  }
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
    const c0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) run.trainStep();
    const sec = (performance.now() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    const cpu = (c1.user + c1.system) / 1e6;
    run.dispose();
    const ips = (steps * batch) / sec;
    const torch = torchRun(mode);
    const r = {
      backend,
      threads: backend === 'wasm' ? getThreadsCount() : 1,
      mode,
      depth,
      width: 16,
      batch,
      steps,
      seconds: +sec.toFixed(2),
      images_per_s: +ips.toFixed(1),
      cpu_seconds: +cpu.toFixed(2),
      images_per_cpu_s: +((steps * batch) / cpu).toFixed(1),
      pytorch_cpu: torch,
      ratio_to_pytorch: 'images_per_s' in torch ? +(ips / torch.images_per_s).toFixed(3) : null,
      loadavg_1m: +os.loadavg()[0].toFixed(1),
    };
    console.error(JSON.stringify(r));
    results.push(r);
  }
}

const report = {
  what: 'open_lth cifar_resnet_20_16 training images/s (forward + backward + SGD step), batch 128, 32x32x3 synthetic inputs',
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, tfjs: tf.version.tfjs },
  notes: [
    'TF.js turns wasm threads off in Node (1 thread); in a cross-origin-isolated browser XNNPACK can use several.',
    'PyTorch runs interleaved with each TF.js measurement, so both see the same machine load (loadavg_1m).',
    'images_per_cpu_s (images per CPU-second) estimates an idle machine when other work shares the cores: for the single-threaded wasm run it is its speed on one free core; for PyTorch (2 threads) multiply by up to 2.',
    "The issue's reference, measured on an idle machine of this kind: PyTorch 2 threads 487 img/s full, 934 img/s bn.",
  ],
  target: 'wasm >= 0.25x PyTorch CPU for full and bn',
  results,
};
mkdirSync('docs/benchmarks', { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
