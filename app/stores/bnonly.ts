/**
 * BatchNorm-only experiments: the list (IndexedDB is the source of truth, live snapshots from the worker on top),
 * the form's draft configuration, and the named actions the panel calls.
 */
import { blockedByCsp } from '../csp-check';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Mode } from '../../src/bnonly/modes';
import { DEFAULT_CONFIG } from '../../src/bnonly/trainer';
import { bnonlyWorker, onBnonlyWorkerCrash, proxy } from '../workers/bnonly-client';
import { runLockName, type BackendInfo, type BnonlyTestHooks, type DatasetId, type ExperimentConfig, type ExperimentRecord, type LogLine, type WorkerEvent } from '../workers/bnonly-protocol';
import { deleteExperiment, getExperiment, listExperiments, putBlob, putExperiment } from './bnonly-db';
import { parseCurriculum } from '../../src/bnonly/curriculum';
import { useCurriculum } from './curriculum';
import { useHardness } from './hardness';
import type { GpuVerdict } from '../../src/runtime/gpu-check';

/** e2e hook from the URL: `?gpuCheck=mismatch|match` forces the WebGPU self-check's outcome (src/runtime/gpu-check.ts). */
function testHooks(): BnonlyTestHooks {
  const q = new URLSearchParams(location.search);
  const g = q.get('gpuCheck');
  const ck = Number(q.get('bnCheckpointMs'));
  const delay = Number(q.get('bnStepDelay'));
  return { ...(g === 'mismatch' || g === 'match' ? { gpuCheck: g } : {}), ...(ck > 0 ? { checkpointEveryMs: ck } : {}), ...(delay > 0 ? { stepDelayMs: delay } : {}) };
}

/** An imported curriculum file (training-set indices, easiest first). */
export interface CurriculumFile {
  name: string;
  indices: number[];
  dataset?: string;
  split?: string;
}

/** open_lth's CIFAR ResNet defaults (SGD momentum 0.9, lr 0.1 with step decay, wd 1e-4, batch 128), browser-sized. */
export const DEFAULT_DRAFT: ExperimentConfig = {
  ...DEFAULT_CONFIG,
  dataset: 'fashion-mnist',
  source: { kind: 'bundled' },
  depth: 8,
  modes: ['full', 'bn', 'output', 'random2'],
  steps: 300,
  trainSize: 10000,
  testSize: 2000,
  evalEvery: 50,
  backend: 'auto',
};

const ACTIVE = new Set(['queued', 'loading', 'running', 'paused']);
export const isActive = (r: ExperimentRecord) => ACTIVE.has(r.status);

interface BnonlyState {
  ready: boolean;
  experiments: ExperimentRecord[];
  selectedId: string | null;
  /** experiment the worker of this page is training (at most one at a time) */
  activeId: string | null;
  backends: BackendInfo | null;
  draft: ExperimentConfig;
  /** a dropped CIFAR archive, not yet stored (kept in memory until Start) */
  file: File | null;
  log: Record<string, LogLine>;
  error: string | null;
  init(): Promise<void>;
  setDraft(p: Partial<ExperimentConfig>): void;
  setDataset(d: DatasetId): void;
  toggleMode(m: Mode): void;
  setFile(f: File | null): void;
  select(id: string | null): void;
  start(): Promise<void>;
  pause(id: string): void;
  resume(id: string): Promise<void>;
  /** ends an interrupted run where it is (its curves and checkpoint stay) */
  stopInterrupted(id: string): Promise<void>;
  stop(id: string): void;
  remove(id: string): Promise<void>;
  exportWeights(id: string, mode: Mode): Promise<string>;
  /** curriculum order: the hardness panel's last order for the dataset, or an imported file */
  curriculumSource: 'hardness' | 'file';
  curriculumFile: CurriculumFile | null;
  curriculumError: string | null;
  setCurriculumSource(s: 'hardness' | 'file'): void;
  importCurriculum(file: File): Promise<void>;
  /** the order a curriculum run would use now, or null with the reason (a bnonly message key) */
  curriculumFor(c: ExperimentConfig): { from: string; indices: number[] } | null;
  /** a run's images through one mode's network, opened in the hardness panel */
  hardness: { id: string; status: 'loading' | 'error'; error?: string } | null;
  /** this adapter's WebGPU self-check verdict (null: never checked here) and whether a check is running */
  gpuVerdict: GpuVerdict | null;
  gpuChecking: boolean;
  /** "Check again": forgets the verdict and runs the self-check now */
  recheckGpu(): Promise<void>;
  openHardness(id: string, mode: Mode, split: 'train' | 'test'): Promise<void>;
}

function upsert(list: ExperimentRecord[], r: ExperimentRecord): ExperimentRecord[] {
  const i = list.findIndex((e) => e.id === r.id);
  if (i < 0) return [r, ...list];
  const out = list.slice();
  out[i] = r;
  return out;
}

export const useBnonly = create<BnonlyState>()(
  persist(
    (set, get) => {
      /**
       * Which launch may still report: a crash moves it on. Events the dead worker posted before it was terminated
       * can still be delivered after the crash was handled, and one would put the "interrupted" run back to
       * "running" with no worker behind it (seen in e2e/worker-crash.spec.ts).
       */
      let launchGen = 0;
      const eventsOf = (gen: number) => (e: WorkerEvent) => {
        if (gen !== launchGen) return;
        if (e.type === 'update') set((s) => ({ experiments: upsert(s.experiments, e.record) }));
        else set((s) => ({ log: { ...s.log, [e.id]: e.line } }));
      };

      /** Trains (or continues from its checkpoint) a stored experiment in the worker. */
      const launch = async (id: string) => {
        set({ activeId: id, selectedId: id, error: null });
        try {
          await bnonlyWorker().run(id, new URL('./', document.baseURI).href, proxy(eventsOf(++launchGen)), testHooks());
        } catch (e) {
          set({ error: e instanceof Error ? e.message : String(e) });
        } finally {
          const rec = await getExperiment(id);
          set((s) => ({
            activeId: s.activeId === id ? null : s.activeId,
            experiments: rec ? upsert(s.experiments, rec) : s.experiments,
            gpuVerdict: rec?.gpuCheck ?? s.gpuVerdict,
          }));
        }
      };

      /**
       * The worker died (crash, or killed): the run it was training can never answer. What it computed is in
       * IndexedDB up to its last checkpoint; the record says "interrupted" (resumable) and the error says why.
       */
      const crashed = async (msg: string) => {
        launchGen++;
        const id = get().activeId;
        set({ error: msg, activeId: null, gpuChecking: false, hardness: null });
        if (!id) return;
        const stored = await getExperiment(id);
        // the page's live copy has the points logged since the last checkpoint: keep them on screen
        const live = get().experiments.find((e) => e.id === id);
        const rec = live && stored && live.step >= stored.step ? structuredClone(live) : stored;
        if (!rec) return;
        if (isActive(rec)) {
          rec.status = rec.step > 0 ? 'interrupted' : 'error';
          rec.error = msg;
          await putExperiment(rec);
        }
        set((s) => ({ experiments: upsert(s.experiments, rec) }));
      };

      return {
        ready: false,
        experiments: [],
        selectedId: null,
        activeId: null,
        backends: null,
        draft: DEFAULT_DRAFT,
        file: null,
        log: {},
        error: null,

        async init() {
          if (get().ready) return;
          onBnonlyWorkerCrash((msg) => void crashed(msg));
          // A run that was training when the page went away is "interrupted": its checkpoint lets it resume.
          const list = await listExperiments();
          const held = new Set(((await navigator.locks?.query().catch(() => null))?.held ?? []).map((l) => l.name));
          for (const r of list) {
            if (!isActive(r) || r.id === get().activeId) continue;
            if (!held.has(runLockName(r.id))) {
              r.status = r.step > 0 ? 'interrupted' : 'stopped';
              await putExperiment(r);
            } else {
              // Held: another tab trains it, or the page this reload replaced has not let go yet. When the
              // lock comes free the run is no longer training anywhere: it is interrupted (resumable).
              void navigator.locks.request(runLockName(r.id), async () => {
                const cur = await getExperiment(r.id);
                if (!cur || !isActive(cur) || get().activeId === r.id) return;
                cur.status = cur.step > 0 ? 'interrupted' : 'stopped';
                await putExperiment(cur);
                set((s) => ({ experiments: upsert(s.experiments, cur) }));
              });
            }
          }
          set((s) => ({ ready: true, experiments: list, selectedId: s.selectedId ?? list[0]?.id ?? null }));
          try {
            set({ backends: await bnonlyWorker().backends(), gpuVerdict: await bnonlyWorker().gpuVerdict() });
          } catch (e) {
            set({ error: e instanceof Error ? e.message : String(e) });
          }
        },

        setDraft: (p) => set((s) => ({ draft: { ...s.draft, ...p } })),
        setDataset: (dataset) =>
          set((s) => ({
            draft: {
              ...s.draft,
              dataset,
              source: dataset === 'fashion-mnist' ? { kind: 'bundled' } : s.draft.source.kind === 'url' ? s.draft.source : { kind: 'url', url: '' },
            },
          })),
        toggleMode: (m) =>
          set((s) => {
            const has = s.draft.modes.includes(m);
            const modes = has ? s.draft.modes.filter((x) => x !== m) : [...s.draft.modes, m];
            return { draft: { ...s.draft, modes } };
          }),
        setFile: (file) =>
          set((s) => ({ file, draft: file ? { ...s.draft, source: { kind: 'file', name: file.name, blobKey: '' } } : s.draft })),
        select: (selectedId) => set({ selectedId }),

        curriculumSource: 'hardness',
        curriculumFile: null,
        curriculumError: null,
        setCurriculumSource: (curriculumSource) => set({ curriculumSource }),
        async importCurriculum(f) {
          try {
            const c = parseCurriculum(await f.text(), f.name);
            if (c.split && c.split !== 'train') throw new Error(`${f.name}: an order of the ${c.split} images; a curriculum needs the training images' order`);
            set({ curriculumFile: { name: f.name, ...c }, curriculumSource: 'file', curriculumError: null });
          } catch (e) {
            set({ curriculumError: e instanceof Error ? e.message : String(e) });
          }
        },
        curriculumFor(c) {
          if (get().curriculumSource === 'file') {
            const f = get().curriculumFile;
            return f && (!f.dataset || f.dataset === c.dataset) ? { from: f.name, indices: f.indices } : null;
          }
          const kept = useCurriculum.getState().byDataset[c.dataset];
          return kept ? { from: kept.from, indices: kept.indices } : null;
        },
        gpuVerdict: null,
        gpuChecking: false,
        async recheckGpu() {
          if (get().activeId || get().gpuChecking) return;
          set({ gpuChecking: true });
          try {
            const v = await bnonlyWorker().recheckGpu(testHooks());
            if (v) set({ gpuVerdict: v });
          } catch (e) {
            set({ error: e instanceof Error ? e.message : String(e) });
          } finally {
            set({ gpuChecking: false });
          }
        },
        hardness: null,
        async openHardness(id, mode, split) {
          set({ hardness: { id, status: 'loading' } });
          try {
            const e = await bnonlyWorker().embed(id, mode, split, new URL('./', document.baseURI).href);
            useHardness.getState().openNetwork(e);
            set({ hardness: null });
            location.hash = '#/hardness';
          } catch (e) {
            set({ hardness: { id, status: 'error', error: e instanceof Error ? e.message : String(e) } });
          }
        },

        async start() {
          const { draft, file, activeId } = get();
          if (activeId) return;
          const id = `bn-${Date.now().toString(36)}`;
          const config: ExperimentConfig = structuredClone({ ...draft, modes: [...draft.modes] });
          if (config.order === 'curriculum') {
            const c = get().curriculumFor(config);
            if (!c) {
              set({ error: 'curriculum order: no easy-to-hard order for this dataset yet' });
              return;
            }
            config.curriculum = c;
          } else delete config.curriculum;
          if (config.dataset === 'cifar10' && config.source.kind === 'file') {
            if (!file) {
              set({ error: 'drop the CIFAR-10 archive first' });
              return;
            }
            const blobKey = `cifar-${file.name}-${file.size}-${file.lastModified}`;
            await putBlob(blobKey, file);
            config.source = { kind: 'file', name: file.name, blobKey };
          }
          if (config.dataset === 'cifar10' && config.source.kind === 'url' && config.source.url) {
            const blocked = blockedByCsp(config.source.url);
            if (blocked) {
              set({ error: blocked });
              return;
            }
          }
          const rec: ExperimentRecord = {
            id,
            createdAt: Date.now(),
            updatedAt: Date.now(),
            config,
            status: 'queued',
            step: 0,
            backend: null,
            imgPerSec: null,
            runs: [],
          };
          await putExperiment(rec);
          set((s) => ({ experiments: upsert(s.experiments, rec) }));
          await launch(id);
        },

        pause: (id) => void bnonlyWorker().pause(id),
        async resume(id) {
          if (get().activeId === id) {
            await bnonlyWorker().resume(id);
            return;
          }
          if (get().activeId) return;
          await launch(id);
        },
        stop(id) {
          if (get().activeId === id) void bnonlyWorker().stop(id);
        },
        async stopInterrupted(id) {
          if (get().activeId === id) return;
          const rec = await getExperiment(id);
          if (!rec || rec.status !== 'interrupted') return;
          rec.status = 'stopped';
          await putExperiment(rec);
          set((s) => ({ experiments: upsert(s.experiments, rec) }));
        },
        async remove(id) {
          if (get().activeId === id) return;
          await deleteExperiment(id);
          set((s) => {
            const experiments = s.experiments.filter((e) => e.id !== id);
            return { experiments, selectedId: s.selectedId === id ? (experiments[0]?.id ?? null) : s.selectedId };
          });
        },
        exportWeights: (id, mode) => bnonlyWorker().exportWeights(id, mode),
      };
    },
    {
      name: 'lab-bnonly',
      // Only the form is remembered here; experiments live in IndexedDB.
      partialize: (s) => ({ draft: { ...s.draft, source: s.draft.source.kind === 'file' ? { kind: 'url' as const, url: '' } : s.draft.source } }),
    },
  ),
);
