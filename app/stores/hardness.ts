/**
 * The hardness panel's state: which class vectors, the user's label fixes (relabel / exclude,
 * kept by image path so they survive a reload), the label-error thresholds, and the worker's
 * analysis and self-training results. Derived views are computed in the panel (derive.ts).
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { hardnessWorker, type Analysis, type SelfTrainReport, type VectorSource } from '../panels/hardness/hardness-client';
import type { Dataset } from '../panels/hardness/dataset';
import type { HardnessDemo } from '../demos/hardness-demo';

interface HardnessState {
  source: VectorSource;
  relabel: Record<string, string>;
  excluded: Record<string, boolean>;
  minAvh: number;
  minConfidence: number;
  analysis: Analysis | null;
  analysisKey: string | null;
  status: 'idle' | 'running' | 'done' | 'error';
  error: string | null;
  targetFraction: number;
  rounds: number;
  selfTrain: { status: 'idle' | 'running' | 'done' | 'error'; report: SelfTrainReport | null; error: string | null };
  /** the home page's demo data, shown instead of the CLIP panel's results while set */
  demo: HardnessDemo | null;
  demoStatus: 'idle' | 'loading' | 'error';
  startDemo(): Promise<void>;
  leaveDemo(): void;

  setSource(s: VectorSource): void;
  setThresholds(patch: Partial<Pick<HardnessState, 'minAvh' | 'minConfidence'>>): void;
  setSelfTrainParams(patch: Partial<Pick<HardnessState, 'targetFraction' | 'rounds'>>): void;
  analyze(data: Dataset, force?: boolean): Promise<void>;
  relabelTo(path: string, className: string): void;
  exclude(path: string): void;
  restore(path: string): void;
  resetFixes(): void;
  runSelfTrain(data: Dataset): Promise<void>;
}

const requestItems = (data: Dataset) => data.items.map((d) => ({ id: d.item.id, hash: d.hash, logits: d.logits, label: d.label }));
const QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export const useHardness = create<HardnessState>()(
  persist(
    (set, get) => ({
      source: 'zeroshot',
      relabel: {},
      excluded: {},
      minAvh: 0.3,
      minConfidence: 0.5,
      analysis: null,
      analysisKey: null,
      status: 'idle',
      error: null,
      targetFraction: 0.5,
      rounds: 3,
      selfTrain: { status: 'idle', report: null, error: null },
      demo: null,
      demoStatus: 'idle',

      async startDemo() {
        set({ demoStatus: 'loading', error: null });
        try {
          const { loadHardnessDemo } = await import('../demos/hardness-demo');
          set({ demo: await loadHardnessDemo(), demoStatus: 'idle', selfTrain: { status: 'idle', report: null, error: null } });
        } catch (e) {
          set({ demoStatus: 'error', error: e instanceof Error ? e.message : String(e) });
        }
      },
      leaveDemo() {
        set({ demo: null, analysis: null, analysisKey: null, selfTrain: { status: 'idle', report: null, error: null } });
      },

      setSource(source) {
        set({ source, analysisKey: null });
      },
      setThresholds(patch) {
        set(patch);
      },
      setSelfTrainParams(patch) {
        set(patch);
      },

      async analyze(data, force = false) {
        const key = `${get().source}|${data.key}`;
        if (!force && get().analysisKey === key) return;
        set({ status: 'running', error: null, analysisKey: key });
        try {
          const analysis = await hardnessWorker().analyze({ source: get().source, classCount: data.classes.length, items: requestItems(data), model: data.model, dtype: data.dtype });
          if (get().analysisKey !== key) return; // superseded
          set({ analysis, status: 'done' });
        } catch (e) {
          set({ status: 'error', error: e instanceof Error ? e.message : String(e), analysis: null });
        }
      },

      relabelTo(path, className) {
        set({ relabel: { ...get().relabel, [path]: className } });
      },
      exclude(path) {
        set({ excluded: { ...get().excluded, [path]: true } });
      },
      restore(path) {
        const { [path]: _r, ...relabel } = get().relabel;
        const { [path]: _e, ...excluded } = get().excluded;
        set({ relabel, excluded });
      },
      resetFixes() {
        set({ relabel: {}, excluded: {} });
      },

      async runSelfTrain(data) {
        set({ selfTrain: { status: 'running', report: get().selfTrain.report, error: null } });
        try {
          const report = await hardnessWorker().selfTrain({
            classCount: data.classes.length,
            items: requestItems(data),
            model: data.model,
            dtype: data.dtype,
            targetFraction: get().targetFraction,
            seed: 1,
            rounds: get().rounds,
            quantiles: QUANTILES,
          });
          set({ selfTrain: { status: 'done', report, error: null } });
        } catch (e) {
          set({ selfTrain: { status: 'error', report: null, error: e instanceof Error ? e.message : String(e) } });
        }
      },
    }),
    {
      name: 'lab-hardness',
      partialize: (s) => ({ source: s.source, relabel: s.relabel, excluded: s.excluded, minAvh: s.minAvh, minConfidence: s.minConfidence, targetFraction: s.targetFraction, rounds: s.rounds }),
    },
  ),
);
