/**
 * `bnonly`: train the same randomly initialised open_lth CIFAR ResNet under several trainable sets
 * (Frankle et al., "Training BatchNorm and only BatchNorm") and report accuracy and gamma statistics.
 *
 *   npm run -s cli -- bnonly --dataset fashion-mnist|cifar10 [--data <path>] --depth 8 --width 16
 *     --modes bn,bn+output,output,full,random2 --train <n> --test <n> --steps <n> --batch <n> --seed <n>
 *     [--backend wasm|cpu] [--lr 0.1] [--order curriculum.json] [--json]
 *
 * `--order` trains in curriculum order (easy to hard, linear pacing from the easiest 20% to the whole set by half
 * of the steps): the hardness panel's curriculum.json of a BatchNorm run's training images, or a JSON array of
 * training-set indices, easiest first.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { joinNegativeValues, shortParseError } from './args';
import { readRegularFileSync, regularPathProblem } from './read-input';
import { isCifarBatchName } from '../data/cifar';
import { FASHION_MNIST_FILES } from '../data/idx';
import { type BackendName, useBackend } from '../bnonly/backend';
import { type ImageDataset, subset } from '../data/dataset';
import { gammaStats } from '../bnonly/gamma';
import { MODE_TABLE, parseModes } from '../bnonly/modes';
import { loadCifar10, loadFashionMnist } from '../bnonly/node-data';
import { nodeWasmDir } from '../bnonly/node-wasm';
import { completeOrder, parseCurriculum } from '../bnonly/curriculum';
import { DEFAULT_CONFIG, Run, type TrainConfig, initialParams } from '../bnonly/trainer';

export interface BnonlyRunResult {
  mode: string;
  trainable_params: number;
  total_params: number;
  test_accuracy: number;
  frozen_unchanged: boolean;
  disabled_fraction: number;
  disabled_threshold: number;
}

/** The order the runs are reported in when --modes is absent. */
const DEFAULT_MODES = 'bn,bn+output,output,full,random2';

const USAGE =
  `usage: bnonly --dataset fashion-mnist|cifar10 [--data <path>] [--depth 20] [--width 16] [--modes ${DEFAULT_MODES}]\n` +
  '              [--train 10000] [--test 2000] [--steps 100] [--batch 128] [--seed 0] [--lr 0.1] [--backend wasm|cpu]\n' +
  '              [--order <curriculum.json>] [--json]\n' +
  'modes (what trains):\n' +
  MODE_TABLE.map((m) => `  ${m.id.padEnd(10)} ${m.label}`).join('\n');

function int(name: string, v: string | undefined, def: number, min = 1): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}; got "${v}"`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let opts;
  const stringFlags = ['dataset', 'data', 'depth', 'width', 'modes', 'train', 'test', 'steps', 'batch', 'seed', 'lr', 'backend', 'order'];
  try {
    opts = parseArgs({
      args: joinNegativeValues(argv, stringFlags),
      options: {
        dataset: { type: 'string', default: 'fashion-mnist' },
        data: { type: 'string' },
        depth: { type: 'string' },
        width: { type: 'string' },
        modes: { type: 'string', default: DEFAULT_MODES },
        train: { type: 'string' },
        test: { type: 'string' },
        steps: { type: 'string' },
        batch: { type: 'string' },
        seed: { type: 'string' },
        lr: { type: 'string' },
        backend: { type: 'string', default: 'wasm' },
        order: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    console.error(`bnonly: ${shortParseError(e)}\n${USAGE}`);
    return 1;
  }
  if (opts.help) {
    console.error(USAGE);
    return 0;
  }
  try {
    const modes = parseModes(opts.modes!);
    const cfg: TrainConfig = {
      ...DEFAULT_CONFIG,
      depth: int('depth', opts.depth, DEFAULT_CONFIG.depth, 8),
      width: int('width', opts.width, DEFAULT_CONFIG.width),
      steps: int('steps', opts.steps, DEFAULT_CONFIG.steps),
      batch: int('batch', opts.batch, DEFAULT_CONFIG.batch),
      seed: int('seed', opts.seed, 0, 0),
      lr: opts.lr === undefined ? DEFAULT_CONFIG.lr : Number(opts.lr),
    };
    if (!(cfg.lr > 0) || !Number.isFinite(cfg.lr)) throw new Error(`--lr must be a positive number; got "${opts.lr}"`);
    if (opts.data !== undefined) checkDataPath(opts.data, opts.dataset!);
    let data: { train: ImageDataset; test: ImageDataset };
    if (opts.dataset === 'fashion-mnist') data = loadFashionMnist(opts.data);
    else if (opts.dataset === 'cifar10') {
      if (!opts.data) throw new Error('--dataset cifar10 needs --data <cifar-10-binary.tar.gz or folder of batch files>');
      data = await loadCifar10(opts.data);
    } else throw new Error(`unknown --dataset "${opts.dataset}" (fashion-mnist or cifar10)`);
    const train = subset(data.train, int('train', opts.train, data.train.n));
    const test = subset(data.test, int('test', opts.test, data.test.n, 0));
    let curriculum: Int32Array | null = null;
    if (opts.order !== undefined) {
      let text: string;
      try {
        text = new TextDecoder().decode(readRegularFileSync(opts.order, { expected: 'a JSON file', maxBytes: 64 * 1024 * 1024 }));
      } catch (e) {
        throw new Error(`--order ${opts.order}: ${(e as Error).message}`);
      }
      const c = completeOrder(parseCurriculum(text, opts.order).indices, train.n);
      if (c.ranked === 0) throw new Error(`${opts.order}: none of its indices is a training image (0..${train.n - 1})`);
      curriculum = c.order;
      cfg.order = 'curriculum';
      console.error(`bnonly: curriculum order from ${opts.order}: ${c.ranked} ranked, ${train.n - c.ranked} unranked last, ${c.ignored} ignored`);
    }
    const backend = await useBackend(opts.backend as BackendName, { wasmPaths: nodeWasmDir() });
    console.error(`bnonly: ${train.name} train ${train.n} test ${test.n}, resnet-${cfg.depth}-${cfg.width}, ${cfg.steps} steps of ${cfg.batch}, backend ${backend}`);

    const params = initialParams(cfg, train); // one initialisation shared by every mode
    const runs: BnonlyRunResult[] = [];
    for (const mode of modes) {
      const r = new Run(mode, params, cfg, train, curriculum);
      const t0 = performance.now();
      for (let s = 0; s < cfg.steps; s++) {
        const ev = r.trainStep();
        if (ev.step % 25 === 0 || ev.step === cfg.steps) {
          console.error(`  ${mode} step ${ev.step}/${cfg.steps} loss ${ev.loss.toFixed(4)} train acc ${ev.trainAccuracy.toFixed(3)} lr ${ev.lr}`);
        }
      }
      const sec = (performance.now() - t0) / 1000;
      const acc = r.evaluate(test);
      const g = gammaStats(r.net.arch, r.net.snapshot());
      runs.push({
        mode,
        trainable_params: r.trainableParams,
        total_params: r.totalParams,
        test_accuracy: acc,
        frozen_unchanged: r.frozenUnchanged(),
        disabled_fraction: g.overall.disabledFraction,
        disabled_threshold: g.threshold,
      });
      console.error(`  ${mode}: test accuracy ${acc.toFixed(4)}, ${((cfg.steps * cfg.batch) / sec).toFixed(1)} img/s`);
      r.dispose();
    }
    if (opts.json) process.stdout.write(JSON.stringify({ runs }) + '\n');
    else {
      console.error('mode        trainable     total  test_acc  frozen_ok  disabled');
      for (const r of runs) {
        process.stdout.write(
          `${r.mode.padEnd(10)} ${String(r.trainable_params).padStart(10)} ${String(r.total_params).padStart(9)}  ${r.test_accuracy.toFixed(4)}    ${String(r.frozen_unchanged).padEnd(5)}     ${(r.disabled_fraction * 100).toFixed(1)}% (|gamma| < ${r.disabled_threshold})\n`,
        );
      }
    }
    return 0;
  } catch (e) {
    console.error(`bnonly: ${(e as Error).message}`);
    return 1;
  }
}

/**
 * --data must name regular files (or a folder of them): the dataset loaders read synchronously,
 * so a FIFO or a device there would block the process, signals included (issue 21).
 */
function checkDataPath(data: string, dataset: string): void {
  const fail = (path: string, why: string): never => {
    throw new Error(`--data ${path}: ${why}`);
  };
  const top = regularPathProblem(data, { allowFolder: true, expected: 'a dataset file' });
  if (top === 'file not found') return; // the loader says so in its own words
  if (top) fail(data, top);
  if (!statSync(data).isDirectory()) return;
  if (dataset === 'fashion-mnist') {
    for (const f of Object.values(FASHION_MNIST_FILES)) {
      const p = join(data, f);
      const why = regularPathProblem(p, { expected: 'an IDX file' });
      if (why && why !== 'file not found') fail(p, why);
    }
    return;
  }
  const walk = (d: string, depth: number) => {
    if (depth > 8) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (isCifarBatchName(e.name)) {
        const why = regularPathProblem(p, { expected: 'a CIFAR batch file' });
        if (why) fail(p, why);
      }
    }
  };
  walk(data, 0);
}
