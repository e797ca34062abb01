/**
 * What the BatchNorm-only worker and the UI exchange, and what IndexedDB keeps of a run.
 * An *experiment* is one configuration trained in several *modes* side by side from the same initialisation.
 */
import type { Mode } from '../../src/bnonly/modes';
import type { GammaStats } from '../../src/bnonly/gamma';
import type { Embedding, TrainConfig } from '../../src/bnonly/trainer';
import type { GpuCheckForce, GpuVerdict, ProbeFigures } from '../../src/runtime/gpu-check';

export type DatasetId = 'fashion-mnist' | 'cifar10';
export type BackendPick = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type ActualBackend = Exclude<BackendPick, 'auto'>;

/** Where the images come from. A dropped archive is kept in IndexedDB (blobKey) so a reload can resume. */
export type DataSource = { kind: 'bundled' } | { kind: 'url'; url: string } | { kind: 'file'; name: string; blobKey: string };

/** The trainer's own hyperparameters (one source of truth: src/bnonly/trainer.ts) plus what the panel adds. */
export interface ExperimentConfig extends TrainConfig {
  dataset: DatasetId;
  source: DataSource;
  modes: Mode[];
  /** images used (0 = all available) */
  trainSize: number;
  testSize: number;
  /** test accuracy and gamma statistics every this many steps (and at the end) */
  evalEvery: number;
  backend: BackendPick;
  /** with `order: 'curriculum'`: the easy-to-hard order of the training images (a permutation of 0..n-1) */
  curriculum?: CurriculumOrder;
}

export interface CurriculumOrder {
  /** where it came from (a file name, or the hardness panel's run label) */
  from: string;
  /** training-set indices, easiest first; the worker puts the training images not listed last, in index order */
  indices: number[];
}

/** One logged point: averages over the steps since the previous point. */
export interface StepPoint {
  step: number;
  loss: number;
  trainAcc: number;
  lr: number;
}

export interface EvalPoint {
  step: number;
  testAcc: number;
  disabledFraction: number;
}

export interface RunRecord {
  mode: Mode;
  trainableParams: number;
  totalParams: number;
  points: StepPoint[];
  evals: EvalPoint[];
  /** gamma statistics at initialisation (same for every mode) and now */
  gammaInit: GammaStats | null;
  gamma: GammaStats | null;
  frozenUnchanged: boolean | null;
}

export type ExperimentStatus = 'queued' | 'loading' | 'running' | 'paused' | 'stopped' | 'done' | 'error' | 'interrupted';

export interface ExperimentRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  config: ExperimentConfig;
  status: ExperimentStatus;
  step: number;
  /** backend that actually ran, and why it differs from the request when it does */
  backend: ActualBackend | null;
  backendNote?: string;
  /** the WebGPU self-check's verdict when WebGPU was wanted (fresh: it ran for this run) */
  gpuCheck?: GpuVerdict & { fresh: boolean };
  /** WASM threads (XNNPACK's pool) when the backend is wasm: 1 when the page is not cross-origin isolated */
  threads?: number;
  /** training throughput over the last stretch, images per second summed over modes */
  imgPerSec: number | null;
  datasetInfo?: { train: number; test: number; height: number; width: number; channels: number; classes: string[] };
  error?: string;
  /** step of the last checkpoint saved (a resume continues from there) */
  checkpointStep?: number;
  /** step the last resume restarted from (its checkpoint's), absent for a run that never resumed */
  resumedFrom?: number;
  runs: RunRecord[];
}

/** Everything needed to continue a mode's run exactly where it stopped. Frozen weights come back from the seed. */
export interface ModeCheckpoint {
  mode: Mode;
  /** trainable parameters only (all of them for `full`) */
  params: Record<string, Float32Array>;
  momentum: Record<string, Float32Array>;
  runMean: Record<string, Float32Array>;
  runVar: Record<string, Float32Array>;
  rngState: number;
  order: Int32Array;
  cursor: number;
  step: number;
}

export interface Checkpoint {
  id: string;
  step: number;
  modes: ModeCheckpoint[];
}

export interface BackendInfo {
  available: ActualBackend[];
  /** why a backend is missing: 'no-api' | 'no-adapter' | 'no-context', or the browser's own error message */
  missing: Partial<Record<ActualBackend, string>>;
  auto: ActualBackend;
}

/** Loading steps, as keys the UI translates (bnonly.log*) with their values. */
export type LogKey = 'backend' | 'data' | 'build' | 'download';
export interface LogLine {
  key: LogKey;
  vars: Record<string, string | number>;
}

export type WorkerEvent = { type: 'update'; record: ExperimentRecord } | { type: 'log'; id: string; line: LogLine };

export interface BnonlyWorkerApi {
  backends(): Promise<BackendInfo>;
  /** Starts (or resumes, when a checkpoint exists) the experiment stored under `id`. Resolves when it ends. */
  run(id: string, siteBase: string, onEvent: (e: WorkerEvent) => void, hooks?: BnonlyTestHooks): Promise<void>;
  /** Forgets this adapter's self-check verdict and runs the check now (WebGPU vs WASM); null while a run trains. */
  recheckGpu(hooks?: BnonlyTestHooks): Promise<(GpuVerdict & { fresh: boolean }) | null>;
  /** e2e diagnosis: the self-check's training step on WebGPU read with data() and with dataSync(), and on WASM */
  trainingReadback(): Promise<{ webgpuAsync: ProbeFigures | string; webgpuSync: ProbeFigures | string; wasm: ProbeFigures | string }>;
  /** the remembered verdict for this adapter, if any */
  gpuVerdict(): Promise<GpuVerdict | null>;
  pause(id: string): void;
  resume(id: string): void;
  stop(id: string): void;
  /** all parameters of one mode at its last checkpoint, as JSON text */
  exportWeights(id: string, mode: Mode): Promise<string>;
  /** penultimate features, logits and last-layer class vectors of a split's images, at the last checkpoint */
  embed(id: string, mode: Mode, split: 'train' | 'test', siteBase: string): Promise<RunEmbedding>;
}

/** e2e hooks from the page's URL: `?gpuCheck=mismatch|match` forces the self-check's outcome. */
export interface BnonlyTestHooks {
  gpuCheck?: GpuCheckForce;
  /** e2e: save a checkpoint this often while running (default 15 s), so a reload test need not wait */
  checkpointEveryMs?: number;
  /** e2e: a pause after each step, so a reload lands mid-run on any machine (no effect on the numbers) */
  stepDelayMs?: number;
}

/** A split of a run's dataset seen through one mode's network: the hardness panel's input. */
export interface RunEmbedding {
  experimentId: string;
  mode: Mode;
  split: 'train' | 'test';
  step: number;
  dataset: DatasetId;
  depth: number;
  width: number;
  classes: string[];
  image: { height: number; width: number; channels: number };
  /** uint8 NHWC pixels of the embedded images, in row order */
  pixels: Uint8Array;
  embedding: Embedding;
}

/** Name of the Web Lock the worker holds while it trains a run. */
export const runLockName = (id: string) => `lab-bnonly-run-${id}`;
