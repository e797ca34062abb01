/**
 * The hardness panel's state: which class vectors, the user's label fixes (relabel / exclude,
 * kept by image path so they survive a reload), the label-error thresholds, and the worker's
 * analysis and self-training results. Derived views are computed in the panel (derive.ts).
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { hardnessWorker, onHardnessWorkerCrash } from '../workers/hardness-client';
import type { Analysis, SelfTrainReport, VectorSource } from '../workers/hardness-protocol';
import type { Dataset } from '../panels/hardness/dataset';
import type { HardnessDemo } from '../demos/hardness-demo';
import type { RunEmbedding } from '../workers/bnonly-protocol';
import { indexWithClip } from '../workers/index-client';
import { indexClasses, useIndexImport } from './index-import';
import { useModel } from './model';
import { currentTemplates } from './explore';
import { importedDataset } from '../panels/hardness/imported';
import { analysisKey } from '../panels/hardness/analysis-key';

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
  /** an imported embedding index (cli embed) scored instead of the CLIP panel's images; not kept over a reload */
  imported: Dataset | null;
  importStatus: 'idle' | 'loading' | 'error';
  importError: string | null;
  /** scores the index open in the lab (stores/index-import.ts) with the loaded model's prompts */
  openIndex(): Promise<void>;
  leaveIndex(): void;
  /** a BatchNorm run's images seen through its network (set by the BatchNorm panel), shown instead of the CLIP panel's */
  network: RunEmbedding | null;
  /** which run's images `network` holds; kept across reloads so the panel can compute them again */
  networkRef: { id: string; mode: RunEmbedding['mode']; split: RunEmbedding['split'] } | null;
  networkStatus: 'idle' | 'loading' | 'error';
  openNetwork(e: RunEmbedding): void;
  leaveNetwork(): void;
  /** after a reload: the same run's images again, from its checkpoint */
  reopenNetwork(): Promise<void>;

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

const requestItems = (data: Dataset) => data.items.map((d, row) => ({ id: d.item.id, hash: d.hash, logits: d.logits, label: d.label, row }));

/** The class vectors in force: a network's data offers its last layer or a probe; other data zero-shot or a probe. */
export function effectiveSource(source: VectorSource, data: Pick<Dataset, 'vectors'>): VectorSource {
  if (data.vectors?.classVectors) return source === 'probe' ? 'probe' : 'network';
  return source === 'network' ? 'zeroshot' : source;
}
const QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** An imported index left: the hardness worker lets go of its embeddings (GBs for a large index). */
function releaseHeld(data: Dataset | null): void {
  if (data?.vectors?.held !== undefined) hardnessWorker().holdFeatures('', new Float32Array(0)).catch(() => {});
}

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
      imported: null,
      importStatus: 'idle',
      importError: null,

      async openIndex() {
        const summary = useIndexImport.getState().summary;
        const loaded = useModel.getState().loaded;
        if (!summary || !loaded) return;
        const classes = indexClasses(summary);
        set({ importStatus: 'loading', importError: null });
        try {
          if (classes.length < 2) throw new Error('the probe needs labelled images of at least 2 classes');
          const d = await (await indexWithClip()).hardnessData({ classes, templates: currentTemplates() });
          const key = `${summary.rows}|${summary.seconds}|${currentTemplates().join('\u0001')}`;
          // The embeddings go on to the hardness worker once (transferred: this page keeps no copy), and
          // the dataset names them, instead of every analysis cloning them (2 GB for 1,000,000 × 512).
          const held = `index|${key}`;
          await hardnessWorker().holdFeatures(held, Comlink.transfer(d.features, [d.features.buffer as ArrayBuffer]));
          const imported = importedDataset(d, { classes, scoring: loaded.scoring, model: loaded.label, dtype: summary.dtypes.join(', '), key, held });
          set({ imported, importStatus: 'idle', demo: null, network: null, networkRef: null, source: get().source === 'network' ? 'zeroshot' : get().source, analysis: null, analysisKey: null, selfTrain: { status: 'idle', report: null, error: null } });
        } catch (e) {
          set({ importStatus: 'error', importError: e instanceof Error ? e.message : String(e) });
        }
      },
      leaveIndex() {
        releaseHeld(get().imported);
        set({ imported: null, analysis: null, analysisKey: null, selfTrain: { status: 'idle', report: null, error: null } });
      },
      network: null,
      networkRef: null,
      networkStatus: 'idle',

      openNetwork(network) {
        releaseHeld(get().imported);
        set({ network, networkRef: { id: network.experimentId, mode: network.mode, split: network.split }, networkStatus: 'idle', demo: null, imported: null, source: 'network', analysis: null, analysisKey: null, selfTrain: { status: 'idle', report: null, error: null } });
      },
      leaveNetwork() {
        set({ network: null, networkRef: null, source: 'zeroshot', analysis: null, analysisKey: null, selfTrain: { status: 'idle', report: null, error: null } });
      },

      async startDemo() {
        set({ demoStatus: 'loading', error: null });
        try {
          const { loadHardnessDemo } = await import('../demos/hardness-demo');
          const demo = await loadHardnessDemo();
          releaseHeld(get().imported);
          set({ demo, network: null, imported: null, demoStatus: 'idle', selfTrain: { status: 'idle', report: null, error: null } });
        } catch (e) {
          set({ demoStatus: 'error', error: e instanceof Error ? e.message : String(e) });
        }
      },
      leaveDemo() {
        set({ demo: null, analysis: null, analysisKey: null, selfTrain: { status: 'idle', report: null, error: null } });
      },

      async reopenNetwork() {
        const ref = get().networkRef;
        if (!ref || get().network || get().networkStatus === 'loading') return;
        set({ networkStatus: 'loading', error: null });
        try {
          const { bnonlyWorker } = await import('../workers/bnonly-client');
          const e = await bnonlyWorker().embed(ref.id, ref.mode, ref.split, new URL('./', document.baseURI).href);
          if (get().networkRef?.id === ref.id) get().openNetwork(e);
        } catch (e) {
          set({ networkStatus: 'error', networkRef: null, error: e instanceof Error ? e.message : String(e) });
        }
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
        const source = effectiveSource(get().source, data);
        const key = analysisKey(source, data.key);
        if (!force && get().analysisKey === key) return;
        set({ status: 'running', error: null, analysisKey: key });
        try {
          const analysis = await hardnessWorker().analyze({ source, classCount: data.classes.length, items: requestItems(data), model: data.model, dtype: data.dtype, scoring: data.scoring, vectors: data.vectors });
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
            vectors: data.vectors,
          });
          set({ selfTrain: { status: 'done', report, error: null } });
        } catch (e) {
          set({ selfTrain: { status: 'error', report: null, error: e instanceof Error ? e.message : String(e) } });
        }
      },
    }),
    {
      name: 'lab-hardness',
      partialize: (s) => ({ networkRef: s.networkRef, source: s.source, relabel: s.relabel, excluded: s.excluded, minAvh: s.minAvh, minConfidence: s.minConfidence, targetFraction: s.targetFraction, rounds: s.rounds }),
    },
  ),
);

// The worker died mid-job: the job ends with the reason instead of waiting for ever.
onHardnessWorkerCrash((message) => {
  const s = useHardness.getState();
  if (s.status === 'running') useHardness.setState({ status: 'error', error: message, analysis: null, analysisKey: null });
  // the report of the previous self-training run (still shown while one runs) stays
  if (s.selfTrain.status === 'running') useHardness.setState({ selfTrain: { status: 'error', report: s.selfTrain.report, error: message } });
});
