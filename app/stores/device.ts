/**
 * The "Test this device" page's state: runs the plan of src/runtime/device-test.ts group by group,
 * each in a fresh device worker, then the training steps in one more; keeps partial results when
 * cancelled; recommends, applies (the CLIP model store's device/dtype, then a reload) and exports.
 */
import { create } from 'zustand';
import { proxy } from 'comlink';
import { deviceWorker, onDeviceWorkerCrash, resetDeviceWorker } from '../workers/device-client';
import type { DeviceProgress } from '../workers/device-protocol';
import { currentSource } from './model-source';
import { DEFAULT_CLIP_MODEL, useModel } from './model';
import {
  configId,
  deviceReport,
  judge,
  judgeTraining,
  planDeviceTest,
  recommend,
  threadCounts,
  type ConfigMeasurement,
  type DeviceProbe,
  type DeviceReport,
  type DeviceRow,
  type TrainMeasurement,
  type TrainRow,
} from '../../src/runtime/device-test';
import { sourceLabel } from '../../src/runtime/source-label';

export const SAMPLE_IMAGES = ['astronaut.png', 'chelsea.png', 'coffee.png'];
export const TEST_TEXTS = ['a photo of an astronaut', 'a photo of a cat', 'a cup of coffee', 'a diagram', 'a city street at night', 'a dog playing in the snow', 'a bowl of soup', 'a red car'];

interface Progress {
  /** settings and TF.js backends finished, of all planned */
  done: number;
  total: number;
  current: DeviceProgress | null;
}

interface DeviceState {
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  repeats: number;
  train: boolean;
  probe: (DeviceProbe & { adapter?: string }) | null;
  progress: Progress;
  rows: DeviceRow[];
  training: TrainRow[];
  recommendation: DeviceRow | null;
  report: DeviceReport | null;
  error: string | null;
  applied: string | null;
  setRepeats(n: number): void;
  setTrain(on: boolean): void;
  start(): Promise<void>;
  cancel(): void;
  apply(row?: DeviceRow): Promise<void>;
}

export { sourceLabel as sourceName };

/** The setting the lab's CLIP worker would use with every core: WASM rows at that thread count are applicable. */
export const labThreads = (p: DeviceProbe) => threadCounts(p.cores, p.isolated).at(-1)!;

let runToken = 0;
let cancelRun: (() => void) | null = null;

export const useDevice = create<DeviceState>()((set, get) => ({
  status: 'idle',
  repeats: Math.max(1, Number(new URLSearchParams(location.search).get('deviceRepeats')) || 5),
  train: true,
  probe: null,
  progress: { done: 0, total: 0, current: null },
  rows: [],
  training: [],
  recommendation: null,
  report: null,
  error: null,
  applied: null,

  setRepeats(n) {
    set({ repeats: Math.min(50, Math.max(1, Math.round(n) || 1)) });
  },
  setTrain(on) {
    set({ train: on });
  },

  async start() {
    if (get().status === 'running') return;
    const model = useModel.getState();
    const source = currentSource(model, DEFAULT_CLIP_MODEL);
    if (!source) {
      set({ status: 'error', error: 'choose a model source first' });
      return;
    }
    const token = ++runToken;
    const cancelled = new Promise<'cancelled'>((resolve) => (cancelRun = () => resolve('cancelled')));
    const t0 = performance.now();
    const q = new URLSearchParams(location.search);
    // test hook: `?deviceTrainLimit=<s>`, the longest one training step may take (default 60 s)
    const trainLimitS = Number(q.get('deviceTrainLimit')) > 0 ? Number(q.get('deviceTrainLimit')) : 60;
    const fault = q.get('deviceFault')?.split(',').filter(Boolean);
    const siteBase = new URL('./', document.baseURI).href;
    const { repeats, train } = get();
    set({ status: 'running', error: null, rows: [], training: [], recommendation: null, report: null, applied: null, progress: { done: 0, total: 0, current: null } });
    const measured: ConfigMeasurement[] = [];
    const trained: TrainMeasurement[] = [];
    let stopped = false;
    // A crashed worker ends its group: the group's settings are marked failed, the run goes on.
    let crash: ((msg: string) => void) | null = null;
    const offCrash = onDeviceWorkerCrash((msg) => crash?.(msg));
    const race = async <T,>(p: Promise<T>): Promise<T | 'cancelled'> => {
      const crashed = new Promise<never>((_, reject) => (crash = (msg) => reject(new Error(msg))));
      try {
        return await Promise.race([p, cancelled, crashed]);
      } finally {
        crash = null;
      }
    };
    const onProgress = proxy((p: DeviceProgress) => {
      if (token === runToken) set((s) => ({ progress: { ...s.progress, current: p } }));
    });
    const publish = (final: boolean) => {
      const probe = get().probe!;
      const rows = judge(measured);
      const training = judgeTraining(trained);
      const best = recommend(rows, labThreads(probe)) ?? null;
      const loaded = useModel.getState().loaded;
      const report = deviceReport({
        model: { label: sourceLabel(source), family: loaded?.family ?? 'unknown', dim: measured.find((m) => m.dim)?.dim ?? 0, imageSize: loaded?.imageSize ?? 0 },
        probe: { ...probe, userAgent: navigator.userAgent },
        repeats,
        images: SAMPLE_IMAGES,
        texts: TEST_TEXTS,
        rows,
        training,
        recommendation: best ?? undefined,
        cancelled: stopped,
        elapsed_s: (performance.now() - t0) / 1000,
        date: new Date().toISOString(),
      });
      set({ rows, training, recommendation: best, report, ...(final ? { status: stopped ? 'cancelled' : 'done' } : {}) });
    };
    try {
      resetDeviceWorker();
      const probe = await race(deviceWorker().probe());
      if (probe === 'cancelled') throw new Error('cancelled');
      set({ probe });
      const groups = planDeviceTest(probe);
      // each TF.js backend is one unit (three until the training worker says how many there are)
      const total = groups.flat().length + (train ? 3 : 0);
      set({ progress: { done: 0, total, current: null } });
      for (const configs of groups) {
        resetDeviceWorker();
        let got: ConfigMeasurement[] | 'cancelled';
        try {
          got = await race(deviceWorker().measureGroup({ source, siteBase, configs, images: SAMPLE_IMAGES, texts: TEST_TEXTS, repeats, fault }, onProgress));
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          got = configs.map((config) => ({ config, id: configId(config), load_s: 0, error }));
        }
        if (got === 'cancelled') {
          stopped = true;
          break;
        }
        measured.push(...got);
        set((s) => ({ progress: { ...s.progress, done: s.progress.done + configs.length } }));
        publish(false);
      }
      if (!stopped && train) {
        // One fresh worker per TF.js backend, each step capped in time: a slow or stuck GPU backend
        // (a software adapter can take minutes) is stopped and marked failed, and the next one runs.
        resetDeviceWorker();
        const offered = await race(deviceWorker().trainBackends());
        if (offered === 'cancelled') throw new Error('cancelled');
        set((s) => ({ progress: { ...s.progress, total: s.progress.done + offered.available.length } }));
        for (const backend of offered.available) {
          resetDeviceWorker();
          onProgress({ phase: 'train', backend });
          let timer: ReturnType<typeof setTimeout> | undefined;
          const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), trainLimitS * 1000)));
          let got: TrainMeasurement | 'cancelled' | 'timeout';
          try {
            got = await race(Promise.race([deviceWorker().trainStep(backend), limit]));
          } catch (e) {
            got = { backend, error: e instanceof Error ? e.message : String(e) };
          } finally {
            clearTimeout(timer);
          }
          if (got === 'cancelled') {
            stopped = true;
            break;
          }
          if (got === 'timeout') got = { backend, error: `the step took longer than ${trainLimitS} s` };
          trained.push({ ...got, software: offered.software.includes(backend) || undefined });
          set((s) => ({ progress: { ...s.progress, done: s.progress.done + 1 } }));
          publish(false);
        }
      }
      publish(true);
    } catch (e) {
      if (stopped || (e instanceof Error && e.message === 'cancelled')) {
        stopped = true;
        if (get().probe) publish(true);
        else set({ status: 'cancelled' });
      } else set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    } finally {
      offCrash();
      cancelRun = null;
      // the worker's runtimes (a WebGPU device, WASM threads) are not kept once the test is over
      resetDeviceWorker();
      set((s) => ({ progress: { ...s.progress, current: null } }));
    }
  },

  cancel() {
    if (get().status !== 'running') return;
    cancelRun?.();
  },

  async apply(row) {
    const pick = row ?? get().recommendation;
    if (!pick || pick.config.device === 'cpu') return;
    const { device, dtype } = pick.config;
    useModel.getState().set({ device, dtype });
    set({ applied: pick.id });
    await useModel.getState().load();
  },
}));
