/**
 * The BatchNorm-only worker: loads the data, builds one core `Run` per mode from a shared initialisation, and
 * trains them step by step side by side (every mode sees the same batches), writing metrics and checkpoints to
 * IndexedDB so a run survives a reload. The UI gets throttled snapshots of the experiment record.
 */
import * as Comlink from 'comlink';
import { Run, initialParams, type TrainConfig } from '../../src/bnonly/trainer';
import { completeOrder } from '../../src/bnonly/curriculum';
import { gammaStats, type GammaStats } from '../../src/bnonly/gamma';
import { architecture, initParams } from '../../src/bnonly/resnet';
import type { Mode } from '../../src/bnonly/modes';
import type { ImageDataset } from '../../src/data/dataset';
import { getCheckpoint, getExperiment, putCheckpointAndRecord, putExperiment } from '../stores/bnonly-db';
import { activateBackend, backendInfo, BN_GPU_CHECK, checkWebGpu } from './bnonly-backend';
import { currentAdapterKey, getVerdict } from './gpu-trust';
import { useBackend } from '../../src/bnonly/backend';
import { trainingProbe } from '../../src/bnonly/gpu-check';
import { checkpointRun, restoreRun } from './bnonly-checkpoint';
import { loadDataset } from './bnonly-data';
import { runLockName } from './bnonly-protocol';
import type { BackendPick, BnonlyTestHooks, BnonlyWorkerApi, RunEmbedding, LogLine, Checkpoint, ExperimentRecord, RunRecord, StepPoint, WorkerEvent } from './bnonly-protocol';

interface Control {
  paused: boolean;
  stopped: boolean;
  wake: (() => void) | null;
}
const controls = new Map<string, Control>();
const live = new Map<string, Run[]>();
/** each live experiment's data, so the hardness view of a paused run needs no reload */
const liveData = new Map<string, { train: ImageDataset; test: ImageDataset }>();

/** Logged points per run: at most about this many, each the mean over its stretch of steps. */
const MAX_POINTS = 400;
const CHECKPOINT_EVERY_MS = 15_000;
const EMIT_EVERY_MS = 250;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function trainConfig(rec: ExperimentRecord): TrainConfig {
  const c = rec.config;
  return {
    depth: c.depth,
    width: c.width,
    steps: c.steps,
    batch: c.batch,
    lr: c.lr,
    momentum: c.momentum,
    weightDecay: c.weightDecay,
    milestones: c.milestones,
    lrDecay: c.lrDecay,
    seed: c.seed,
    augment: c.augment,
    order: c.order ?? 'shuffled',
    pacing: c.pacing,
  };
}

/** The stored easy-to-hard order for a curriculum run, completed to the `n` training images (unranked ones last). */
function curriculumOf(rec: ExperimentRecord, n: number): Int32Array | null {
  if (rec.config.order !== 'curriculum') return null;
  const c = rec.config.curriculum;
  if (!c) throw new Error('curriculum order: this run has no easy-to-hard order stored');
  const done = completeOrder(c.indices, n);
  if (done.ranked === 0) throw new Error(`curriculum order (${c.from}): none of its ${c.indices.length} indices is one of the ${n} training images`);
  return done.order;
}

/**
 * Gamma statistics from the gamma variables only (reading every conv weight of a deep net would be slow).
 * Every read in this worker is asynchronous: TF.js WebGPU's dataSync reads zeros (and destroys the device) on
 * some adapters (see Run.trainStepAsync).
 */
async function gammaOf(run: Run): Promise<GammaStats> {
  const g = new Map<string, Float32Array>();
  for (const bn of run.net.arch.bns) g.set(`${bn.name}.gamma`, (await run.net.vars.get(`${bn.name}.gamma`)!.data()) as Float32Array);
  return gammaStats(run.net.arch, g);
}

const nextTurn = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Trains `id` to its end (or a stop). A GPU backend that fails mid-run (e.g. WebGPU device lost) is replaced by
 * WASM once: the run continues from its last checkpoint, and the note says so.
 */
async function train(id: string, siteBase: string, emit: (e: WorkerEvent) => void, forceBackend?: BackendPick, hooks: BnonlyTestHooks = {}): Promise<void> {
  const rec = await getExperiment(id);
  if (!rec) throw new Error(`no experiment ${id}`);
  const ctl: Control = { paused: false, stopped: false, wake: null };
  controls.set(id, ctl);
  let lastEmit = 0;
  const publish = async (force = false, persist = false) => {
    rec.updatedAt = Date.now();
    if (persist) await putExperiment(rec);
    if (force || rec.updatedAt - lastEmit >= EMIT_EVERY_MS) {
      lastEmit = rec.updatedAt;
      emit({ type: 'update', record: structuredClone(rec) });
    }
  };
  let runs: Run[] = [];
  let retry = false;
  const saveCheckpoint = async () => {
    const c: Checkpoint = { id, step: rec.step, modes: await Promise.all(runs.map(checkpointRun)) };
    // the record names the step only together with the checkpoint itself (a publish in between must not)
    await putCheckpointAndRecord(c, { ...rec, checkpointStep: c.step });
    rec.checkpointStep = c.step;
  };
  try {
    rec.status = 'loading';
    rec.error = undefined;
    await publish(true, true);
    const say = (line: LogLine) => emit({ type: 'log', id, line });
    say({ key: 'backend', vars: { b: forceBackend ?? rec.config.backend } });
    const { backend, note, threads, gpuCheck } = await activateBackend(forceBackend ?? rec.config.backend, hooks.gpuCheck);
    if (!forceBackend) rec.gpuCheck = gpuCheck;
    say({ key: 'data', vars: { d: rec.config.dataset } });
    rec.backend = backend;
    rec.threads = threads;
    if (!forceBackend) rec.backendNote = note;
    const { train: trainSet, test } = await loadDataset(rec.config, siteBase, say);
    rec.datasetInfo = {
      train: trainSet.n,
      test: test.n,
      height: trainSet.height,
      width: trainSet.width,
      channels: trainSet.channels,
      classes: trainSet.classes,
    };
    const cfg = trainConfig(rec);
    say({ key: 'build', vars: { depth: cfg.depth, width: cfg.width } });
    const params = initialParams(cfg, trainSet);
    const order = curriculumOf(rec, trainSet.n);
    runs = rec.config.modes.map((m) => new Run(m, params, cfg, trainSet, order));
    live.set(id, runs);
    liveData.set(id, { train: trainSet, test });

    const ckpt = await getCheckpoint(id);
    if (ckpt && ckpt.step > 0 && rec.runs.length === runs.length) {
      runs.forEach((r) => {
        const m = ckpt.modes.find((c) => c.mode === r.mode);
        if (!m) throw new Error(`the checkpoint has no state for mode ${r.mode}`);
        restoreRun(r, m);
      });
      rec.step = ckpt.step;
      rec.resumedFrom = ckpt.step;
      // Points logged after the checkpoint are recomputed, identically, from the restored state.
      for (const rr of rec.runs) {
        rr.points = rr.points.filter((p) => p.step <= rec.step);
        rr.evals = rr.evals.filter((p) => p.step <= rec.step);
      }
    } else {
      rec.step = 0;
      const init = await gammaOf(runs[0]);
      rec.runs = runs.map(
        (r): RunRecord => ({
          mode: r.mode,
          trainableParams: r.trainableParams,
          totalParams: r.totalParams,
          points: [],
          evals: [],
          gammaInit: init,
          gamma: init,
          frozenUnchanged: null,
        }),
      );
      await evaluateAll(runs, rec, test);
    }

    rec.status = 'running';
    await publish(true, true);
    const logEvery = Math.max(1, Math.ceil(cfg.steps / MAX_POINTS));
    const acc = runs.map(() => ({ loss: 0, trainAcc: 0, n: 0, lr: 0 }));
    let lastCheckpoint = performance.now();
    let windowStart = performance.now();
    let windowImages = 0;

    while (rec.step < cfg.steps && !ctl.stopped) {
      if (ctl.paused) {
        rec.status = 'paused';
        await saveCheckpoint();
        await publish(true);
        await new Promise<void>((r) => (ctl.wake = r));
        ctl.wake = null;
        if (ctl.stopped) break;
        rec.status = 'running';
        windowStart = performance.now();
        windowImages = 0;
        await publish(true, true);
      }
      for (const [i, r] of runs.entries()) {
        const ev = await r.trainStepAsync();
        acc[i].loss += ev.loss;
        acc[i].trainAcc += ev.trainAccuracy;
        acc[i].lr = ev.lr;
        acc[i].n++;
        windowImages += Math.min(cfg.batch, trainSet.n);
      }
      rec.step++;
      const last = rec.step === cfg.steps;
      if (rec.step % logEvery === 0 || last) {
        runs.forEach((_, i) => {
          const a = acc[i];
          const p: StepPoint = { step: rec.step, loss: a.loss / a.n, trainAcc: a.trainAcc / a.n, lr: a.lr };
          rec.runs[i].points.push(p);
          acc[i] = { loss: 0, trainAcc: 0, n: 0, lr: 0 };
        });
      }
      const secs = (performance.now() - windowStart) / 1000;
      if (secs > 0.5) rec.imgPerSec = windowImages / secs;
      if (secs > 10) {
        windowStart = performance.now();
        windowImages = 0;
      }
      if (rec.step % rec.config.evalEvery === 0 || last) {
        await evaluateAll(runs, rec, test);
        await saveCheckpoint();
        lastCheckpoint = performance.now();
      } else if (performance.now() - lastCheckpoint > (hooks.checkpointEveryMs ?? CHECKPOINT_EVERY_MS)) {
        await saveCheckpoint();
        lastCheckpoint = performance.now();
      }
      await publish(last);
      await nextTurn();
      if (hooks.stepDelayMs) await new Promise((r) => setTimeout(r, hooks.stepDelayMs));
    }
    // A run stopped between evaluations is evaluated where it stopped: every figure is of its last step.
    if (rec.step > 0 && (rec.runs[0]?.evals.at(-1)?.step ?? -1) < rec.step) await evaluateAll(runs, rec, test);
    for (const [i, r] of runs.entries()) rec.runs[i].frozenUnchanged = r.frozenUnchanged(await r.net.snapshotAsync());
    rec.status = rec.step >= cfg.steps ? 'done' : 'stopped';
    await saveCheckpoint();
    await publish(true, true);
  } catch (e) {
    if ((rec.backend === 'webgpu' || rec.backend === 'webgl') && !forceBackend && !ctl.stopped && rec.status === 'running') {
      rec.backendNote = `${rec.backend} failed during training (${message(e)}); continued on WebAssembly from the last checkpoint`;
      await putExperiment(rec);
      retry = true;
    } else {
      rec.status = 'error';
      rec.error = message(e);
      await publish(true, true).catch(() => undefined);
    }
  } finally {
    try {
      runs.forEach((r) => r.dispose());
    } catch {
      // a lost GPU device cannot free its buffers; nothing else to do
    }
    live.delete(id);
    liveData.delete(id);
    controls.delete(id);
  }
  if (retry) await train(id, siteBase, emit, 'wasm', hooks);
}

async function evaluateAll(runs: Run[], rec: ExperimentRecord, test: ImageDataset): Promise<void> {
  for (const [i, r] of runs.entries()) {
    const testAcc = await r.evaluateAsync(test);
    const g = await gammaOf(r);
    rec.runs[i].gamma = g;
    rec.runs[i].evals.push({ step: rec.step, testAcc, disabledFraction: g.overall.disabledFraction });
  }
}

/** All parameters of a mode (frozen ones regenerated from the seed) in a documented JSON layout. */
async function exportWeights(id: string, mode: Mode): Promise<string> {
  const rec = await getExperiment(id);
  if (!rec?.datasetInfo) throw new Error('this run has not started yet: nothing to export');
  const liveRun = live.get(id)?.find((r) => r.mode === mode);
  const ck = liveRun ? await checkpointRun(liveRun) : (await getCheckpoint(id))?.modes.find((m) => m.mode === mode);
  const arch = architecture({ depth: rec.config.depth, width: rec.config.width, inChannels: rec.datasetInfo.channels, numClasses: rec.datasetInfo.classes.length });
  const params: Record<string, { shape: number[]; trainable: boolean; data: number[] }> = {};
  for (const p of initParams(arch, rec.config.seed)) {
    const trained = ck?.params[p.name];
    params[p.name] = { shape: p.shape, trainable: trained !== undefined, data: Array.from(trained ?? p.data) };
  }
  const running: Record<string, { mean: number[]; variance: number[] }> = {};
  for (const bn of arch.bns) {
    running[bn.name] = {
      mean: Array.from(ck?.runMean[bn.name] ?? new Float32Array(bn.channels)),
      variance: Array.from(ck?.runVar[bn.name] ?? new Float32Array(bn.channels).fill(1)),
    };
  }
  return JSON.stringify({
    format: 'clip-lab/bnonly-weights@1',
    layout: 'NHWC; conv weights [kh, kw, cin, cout]; fc.w [in, out]; BN eps 1e-5',
    experiment: id,
    mode,
    step: ck?.step ?? 0,
    config: rec.config,
    params,
    bnRunningStats: running,
  });
}

/**
 * A split's images through one mode's network at its last checkpoint (or live, when the run is paused in this
 * worker): penultimate features, logits, class vectors. A run that is training must be paused first, so the
 * weights do not move between batches.
 */
async function embed(id: string, mode: Mode, split: 'train' | 'test', siteBase: string): Promise<RunEmbedding> {
  const rec = await getExperiment(id);
  if (!rec) throw new Error(`the run ${id} is no longer stored in this browser`);
  if (!rec.datasetInfo) throw new Error('this run has not started yet: nothing to measure');
  if (controls.has(id) && !controls.get(id)!.paused) throw new Error('pause the run first: its weights change at every step');
  if (!rec.config.modes.includes(mode)) throw new Error(`this run has no mode ${mode}`);
  let data = liveData.get(id);
  let run = live.get(id)?.find((r) => r.mode === mode);
  let temp: Run | null = null;
  if (!run) {
    // no run is training in this worker: pick the backend this run used (another run's stays as it is)
    if (!controls.size) await activateBackend(rec.backend ?? rec.config.backend);
    data ??= await loadDataset(rec.config, siteBase, () => undefined);
    const cfg = { ...trainConfig(rec), order: 'shuffled' as const };
    temp = new Run(mode, initialParams(cfg, data.train), cfg, data.train);
    const ck = (await getCheckpoint(id))?.modes.find((m) => m.mode === mode);
    if (ck) restoreRun(temp, ck);
    run = temp;
  }
  try {
    const set = split === 'train' ? data!.train : data!.test;
    const embedding = await run.embedAsync(set);
    const pixels = set.images.slice(0, set.n * set.height * set.width * set.channels);
    const out: RunEmbedding = {
      experimentId: id,
      mode,
      split,
      step: run.step,
      dataset: rec.config.dataset,
      depth: rec.config.depth,
      width: rec.config.width,
      classes: set.classes,
      image: { height: set.height, width: set.width, channels: set.channels },
      pixels,
      embedding,
    };
    const e = embedding;
    return Comlink.transfer(out, [pixels.buffer, e.features.buffer, e.logits.buffer, e.labels.buffer, e.indices.buffer, e.classVectors.buffer, e.bias.buffer]);
  } finally {
    temp?.dispose();
  }
}

const api: BnonlyWorkerApi = {
  backends: () => backendInfo(),
  async run(id, siteBase, onEvent, hooks) {
    try {
      // A Web Lock per run: another tab sees it is training (not interrupted) and cannot start it twice.
      if (typeof navigator.locks === 'undefined') await train(id, siteBase, onEvent, undefined, hooks);
      else {
        await navigator.locks.request(runLockName(id), { ifAvailable: true }, async (lock) => {
          if (!lock) throw new Error('this run is training in another tab');
          await train(id, siteBase, onEvent, undefined, hooks);
        });
      }
    } finally {
      // the callback is a Comlink proxy holding a MessagePort: let it go with the run
      (onEvent as unknown as { [Comlink.releaseProxy]?: () => void })[Comlink.releaseProxy]?.();
    }
  },
  pause(id) {
    const c = controls.get(id);
    if (c) c.paused = true;
  },
  resume(id) {
    const c = controls.get(id);
    if (!c) return;
    c.paused = false;
    c.wake?.();
  },
  stop(id) {
    const c = controls.get(id);
    if (!c) return;
    c.stopped = true;
    c.paused = false;
    c.wake?.();
  },
  exportWeights,
  embed,
  async recheckGpu(hooks) {
    if (controls.size) return null;
    return checkWebGpu(hooks?.gpuCheck, true);
  },
  async trainingReadback() {
    if (controls.size) throw new Error('a run is training in this worker');
    const attempt = async (backend: 'webgpu' | 'wasm', sync: boolean) => {
      try {
        await useBackend(backend);
        return await trainingProbe({ sync });
      } catch (e) {
        return message(e);
      }
    };
    // async first: the synchronous read can destroy the WebGPU device
    const webgpuAsync = await attempt('webgpu', false);
    const wasm = await attempt('wasm', false);
    const webgpuSync = await attempt('webgpu', true);
    await useBackend('wasm');
    return { webgpuAsync, webgpuSync, wasm };
  },
  async gpuVerdict() {
    const key = await currentAdapterKey();
    return key ? ((await getVerdict(BN_GPU_CHECK, key)) ?? null) : null;
  },
};

Comlink.expose(api);
