/**
 * The Evaluate panel: settings, the run in the evaluate worker (with the CLIP panel's model), and
 * the last result — kept over a reload (localStorage; a report too big to store is said so).
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { evalWithClip, onEvalWorkerCrash, proxy } from '../workers/eval-client';
import { onClipWorkerCrash } from '../workers/clip-client';
import { useModel } from './model';
import type { Split } from '../../src/eval/archives';
import type { DatasetKind } from '../../src/eval/prompts';
import type { DroppedFile } from './images';
import type { EvalEvent, EvalResult } from '../workers/eval-protocol';
import type { Selection } from '../../src/eval/select';
import { parseTemplateChoice } from '../../src/eval/prompts';

export type SelectMode = 'all' | 'limit' | 'sample';
export type TemplateMode = 'ensemble' | 'single' | 'name' | 'user';

export interface HistoryRow {
  model: string;
  dtype: string;
  device: string;
  dataset: string;
  split: string;
  selection: string;
  templates: string;
  n: number;
  top1: number;
  top5: number;
  probeTop1: number | null;
  date: string;
}

const HISTORY_MAX = 20;

interface EvalState {
  dataset: DatasetKind;
  split: Split;
  mode: SelectMode;
  count: number;
  seed: number;
  templates: TemplateMode;
  userTemplates: string;
  probe: boolean;
  /** an archive, or a zip of a class/image tree */
  file: File | null;
  /** a dropped class/image folder */
  files: DroppedFile[] | null;
  status: 'idle' | 'running' | 'done' | 'error';
  progress: (EvalEvent & { started: number }) | null;
  error: string | null;
  result: EvalResult | null;
  /** the last result could not be stored (too big for this browser's storage) */
  notSaved: boolean;
  /** one line per finished run, newest first (e.g. the same run at q8 and fp32 side by side) */
  history: HistoryRow[];
  set(p: Partial<Pick<EvalState, 'dataset' | 'split' | 'mode' | 'count' | 'seed' | 'templates' | 'userTemplates' | 'probe'>>): void;
  /** dropped or picked: one archive, one zip, or a folder's files */
  take(files: DroppedFile[]): void;
  run(): Promise<void>;
  cancel(): void;
}

/** The dataset an archive's name says it is, if any. */
export function datasetOfName(name: string): DatasetKind | null {
  if (/\.zip$/i.test(name)) return 'folder';
  if (/cifar-?100/i.test(name)) return 'cifar100';
  if (/cifar-?10/i.test(name)) return 'cifar10';
  if (/stl/i.test(name)) return 'stl10';
  return null;
}

let flagNotSaved: (v: boolean) => void = () => undefined;
const safeStorage = createJSONStorage(() => ({
  getItem: (k: string) => localStorage.getItem(k),
  setItem: (k: string, v: string) => {
    try {
      localStorage.setItem(k, v);
      flagNotSaved(false);
    } catch {
      // Quota: keep the settings, drop the report from storage, and say so in the panel.
      const parsed = JSON.parse(v) as { state: Record<string, unknown> };
      parsed.state.result = null;
      try {
        localStorage.setItem(k, JSON.stringify(parsed));
      } catch {
        /* nothing more to do */
      }
      flagNotSaved(true);
    }
  },
  removeItem: (k: string) => localStorage.removeItem(k),
}));

/** A dropped folder's name (its files' common first path part), for messages and the report. */
function commonRoot(files: DroppedFile[]): string {
  const first = files[0]?.path.split('/')[0] ?? '';
  return files.every((f) => f.path.split('/')[0] === first && f.path.includes('/')) ? first : `${files.length} files`;
}

export const useEvaluate = create<EvalState>()(
  persist(
    (set, get) => {
      flagNotSaved = (v) => {
        if (get().notSaved !== v) set({ notSaved: v });
      };
      const fail = (message: string) => {
        if (get().status === 'running') set({ status: 'error', error: message, progress: null });
      };
      onEvalWorkerCrash(fail);
      onClipWorkerCrash(fail);
      return {
        dataset: 'cifar10',
        split: 'test',
        mode: 'limit',
        count: 1000,
        seed: 0,
        templates: 'ensemble',
        userTemplates: 'a photo of a {}.\nitap of a {}.',
        probe: false,
        file: null,
        files: null,
        status: 'idle',
        progress: null,
        error: null,
        result: null,
        notSaved: false,
        history: [],
        set: (p) => set(p),
        take(dropped) {
          const one = dropped.length === 1 && /\.(gz|tgz|zip)$/i.test(dropped[0].file.name) ? dropped[0].file : null;
          if (one) set({ file: one, files: null, ...(datasetOfName(one.name) ? { dataset: datasetOfName(one.name)! } : {}) });
          else set({ file: null, files: dropped, dataset: 'folder' });
        },
        async run() {
          const s = get();
          const loaded = useModel.getState().loaded;
          if ((!s.file && !s.files) || !loaded) return;
          const selection: Selection = s.mode === 'all' ? { kind: 'all' } : s.mode === 'limit' ? { kind: 'limit', n: s.count } : { kind: 'sample', perClass: s.count, seed: s.seed };
          const choice = s.templates === 'user' ? parseTemplateChoice(s.userTemplates.split('\n').join('|')) : s.templates;
          const started = Date.now();
          set({ status: 'running', error: null, progress: null });
          try {
            const w = await evalWithClip();
            const result = await w.run(
              {
                file: s.file ?? undefined,
                files: s.files?.map((d) => ({ path: d.path, file: d.file })),
                fileName: s.file?.name ?? commonRoot(s.files ?? []),
                dataset: s.dataset, split: s.split, selection, choice, probe: s.probe, seed: s.seed, model: loaded.label, dtype: loaded.dtype, device: loaded.device },
              proxy((e: EvalEvent) => {
                if (get().status === 'running') set({ progress: { ...e, started } });
              }),
            );
            if (get().status !== 'running') return;
            const r = result.report;
            const row: HistoryRow = {
              model: r.model,
              dtype: loaded.dtype,
              device: loaded.device,
              dataset: r.dataset,
              split: r.split,
              selection: String(r.settings.selection ?? ''),
              templates: r.templates.set,
              n: r.n,
              top1: r.top1,
              top5: r.top5,
              probeTop1: r.probe ? r.probe.top1 : null,
              date: new Date().toISOString(),
            };
            set({ status: 'done', result, progress: null, history: [row, ...get().history].slice(0, HISTORY_MAX) });
          } catch (e) {
            fail(e instanceof Error ? e.message : String(e));
          }
        },
        cancel() {
          void evalWithClip().then((w) => w.cancel());
        },
      };
    },
    {
      name: 'lab-evaluate',
      storage: safeStorage,
      partialize: (s) => ({ dataset: s.dataset, split: s.split, mode: s.mode, count: s.count, seed: s.seed, templates: s.templates, userTemplates: s.userTemplates, probe: s.probe, result: s.result, history: s.history }),
    },
  ),
);
