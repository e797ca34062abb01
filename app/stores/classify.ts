/**
 * Classes, prompts, the classification run and its results. The last results are saved in
 * IndexedDB so a reload shows them again (with thumbnails, and re-scorable from cached embeddings).
 */
import { create } from 'zustand';
import type { Scoring } from '../../src/models/scoring';
import { persist } from 'zustand/middleware';
import { openDB } from 'idb';
import { clipWorker, onClipWorkerCrash, proxy } from '../workers/clip-client';
import { useImages, type ImageItem } from './images';
import { useModel } from './model';
import { DEFAULT_TEMPLATE, validateLabels } from '../../src/clip/zeroshot';
import { loadEnsemble, type EnsembleName } from '../../src/clip/presets';
import { EmbeddingCache } from '../../src/runtime/embedding-cache';
import { gpuLostReason, isGpuLost } from '../../src/runtime/gpu-lost';
import { isQuotaError } from '../../src/runtime/storage-full';
import type { ClassifyEvent, ItemResult } from '../../src/runtime/clip-protocol';

export type Preset = 'custom' | EnsembleName;

export interface RunState {
  status: 'idle' | 'text' | 'running' | 'done' | 'cancelled' | 'error';
  done: number;
  total: number;
  textDone: number;
  textTotal: number;
  startedAt: number;
  error?: string;
  notices: string[];
  /** browser storage refused a write during the run: embeddings are not being saved */
  storageFull: boolean;
  /** images embedded by the model in this run (the rest came from the cache) */
  computed: number;
}

/** A run the page left before it finished (a reload, a closed tab): its results so far were saved. */
export interface Interrupted {
  done: number;
  total: number;
}

/** What a results view needs; classes are those the run used (the editor may have changed since). */
export interface ResultSet {
  classes: string[];
  templates: string[];
  model: string;
  device: string;
  dtype: string;
  /** the model family's scoring (absent in sessions saved before SigLIP: CLIP's) */
  scoring?: Scoring;
  finishedAt: number;
  restored: boolean;
  byId: Record<string, ItemResult>;
}

interface ClassifyState {
  /**
   * The last results could not be saved in the browser (IndexedDB refused: 'quota' when storage is full, else
   * the error): they are on screen but will not come back after a reload. Null once a save succeeds.
   */
  unsaved: 'quota' | string | null;
  preset: Preset;
  classesText: string;
  template: string;
  /** templates of the chosen preset (its ensemble); empty for custom */
  presetTemplates: string[];
  run: RunState;
  results: ResultSet | null;
  /** set when the last saved run did not finish: it can be resumed */
  interrupted: Interrupted | null;
  setPreset(p: Preset): Promise<void>;
  setClassesText(t: string): void;
  setTemplate(t: string): void;
  /** `carried`: notices kept from a run that restarted (WebGPU lost) */
  classify(carried?: string[]): Promise<void>;
  /** runs an interrupted run again: cached embeddings are reused, only the rest is computed */
  resume(): Promise<void>;
  cancel(): void;
  restoreLast(): Promise<void>;
  forget(): Promise<void>;
}

/**
 * The editor's class list: one class per line (commas are part of a name here, unlike the CLI's
 * --labels), trimmed, blank lines skipped (`blank` and `trimmed` count them, so the editor can say
 * so). `duplicate` names the first repeated class; presets may repeat a name (ImageNet has two
 * "missile" and two "sunglasses" classes), so `allowDuplicates` is set for them.
 */
export function currentClasses(
  text: string,
  allowDuplicates = false,
): { classes: string[]; errors: string[]; duplicate?: string; blank: number; trimmed: number } {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const classes = lines.map((l) => l.trim()).filter((l) => l !== '');
  const blank = text.trim() === '' ? 0 : lines.length - classes.length;
  const trimmed = lines.filter((l) => l.trim() !== '' && l.trim() !== l).length;
  const seen = new Set<string>();
  const duplicate = allowDuplicates
    ? undefined
    : classes.find((c) => {
        const k = c.toLowerCase();
        if (seen.has(k)) return true;
        seen.add(k);
        return false;
      });
  return { classes, errors: validateLabels(classes, { allowDuplicates }), duplicate, blank, trimmed };
}

const idleRun: RunState = { status: 'idle', done: 0, total: 0, textDone: 0, textTotal: 0, startedAt: 0, notices: [], storageFull: false, computed: 0 };

// ---- persistence of the last results (IndexedDB "lab-results") ----
interface SavedSession {
  results: Omit<ResultSet, 'restored'>;
  items: Omit<ImageItem, 'file' | 'thumb'>[];
  /** saved while the run was going: it did not finish */
  interrupted?: Interrupted;
}
const resultsDb = () => openDB('lab-results', 1, { upgrade: (db) => db.createObjectStore('sessions') });
async function saveSession(s: SavedSession): Promise<void> {
  try {
    // Thumbnails live in the embedding cache (by hash); drop them from the saved results.
    const byId: Record<string, ItemResult> = {};
    for (const [k, v] of Object.entries(s.results.byId)) byId[k] = v.ok ? { ...v, thumb: undefined } : v;
    await (await resultsDb()).put('sessions', { ...s, results: { ...s.results, byId } }, 'clip-last');
    if (useClassify.getState().unsaved !== null) useClassify.setState({ unsaved: null });
  } catch (e) {
    console.warn('could not save results', e);
    useClassify.setState({ unsaved: isQuotaError(e) ? 'quota' : e instanceof Error ? e.message : String(e) });
  }
}
/** Saves run one after another, so a late progress save never overwrites the final one. */
let saveQueue: Promise<void> = Promise.resolve();
function queueSave(s: SavedSession): Promise<void> {
  saveQueue = saveQueue.then(() => saveSession(s));
  return saveQueue;
}
const savedItems = () => useImages.getState().items.map(({ file: _f, thumb: _t, ...rest }) => rest);

export const useClassify = create<ClassifyState>()(
  persist(
    (set, get) => ({
      unsaved: null,
      preset: 'custom',
      classesText: 'cat\ndog\nbird\ncar\nflower',
      template: DEFAULT_TEMPLATE,
      presetTemplates: [],
      run: idleRun,
      results: null,
      interrupted: null,

      async setPreset(preset) {
        if (preset === 'custom') {
          set({ preset, presetTemplates: [] });
          return;
        }
        const p = await loadEnsemble(preset);
        set({ preset, classesText: p.classes.join('\n'), presetTemplates: p.templates });
      },
      setClassesText: (classesText) => set({ classesText }),
      setTemplate: (template) => set({ template }),

      async classify(carried = []) {
        const loaded = useModel.getState().loaded;
        const items = useImages.getState().items;
        const { classes, errors } = currentClasses(get().classesText, get().preset !== 'custom');
        if (!loaded || items.length === 0 || errors.length) return;
        const templates = get().presetTemplates.length ? get().presetTemplates : [get().template];
        const byId: Record<string, ItemResult> = {};
        const results: ResultSet = {
          classes,
          templates,
          model: loaded.label,
          device: loaded.device,
          dtype: loaded.dtype,
          scoring: loaded.scoring,
          finishedAt: 0,
          restored: false,
          byId,
        };
        set({ results, interrupted: null, run: { ...idleRun, status: 'text', total: items.length, startedAt: Date.now(), notices: carried } });
        // Progress is saved as it comes (at most every 2 s), so a reload mid-run keeps it.
        let lastSave = 0;
        let pending: ItemResult[] = [];
        let flushTimer: ReturnType<typeof setTimeout> | null = null;
        // Batches arrive fast: apply them at most every 150 ms so React renders calmly.
        const flush = () => {
          flushTimer = null;
          if (!pending.length) return;
          const add = pending;
          pending = [];
          const cur = get().results;
          if (!cur) return;
          const next = { ...cur.byId };
          const thumbs = new Map<string, { hash?: string; thumb?: Blob }>();
          for (const r of add) {
            next[r.id] = r;
            if (r.hash || (r.ok && r.thumb)) thumbs.set(r.id, { hash: r.hash, ...(r.ok && r.thumb ? { thumb: r.thumb } : {}) });
          }
          set({ results: { ...cur, byId: next } });
          if (thumbs.size) useImages.getState().setThumbs(thumbs);
          const run = get().run;
          if ((run.status === 'running' || run.status === 'text') && Date.now() - lastSave > 2000) {
            lastSave = Date.now();
            const { restored: _r, ...partial } = get().results!;
            void queueSave({ results: partial, items: savedItems(), interrupted: { done: Object.keys(partial.byId).length, total: run.total } });
          }
        };
        const onEvent = (e: ClassifyEvent) => {
          const run = get().run;
          if (e.type === 'text') set({ run: { ...run, status: 'text', textDone: e.done, textTotal: e.total } });
          else if (e.type === 'batch') {
            pending.push(...e.results);
            const computed = run.computed + e.results.filter((r) => r.ok && !r.cached).length;
            if (run.status === 'text' || run.status === 'running') set({ run: { ...run, status: 'running', done: e.done, total: e.total, computed } });
            else set({ run: { ...run, computed } });
            flushTimer ??= setTimeout(flush, 150);
          } else if (e.type === 'notice') set({ run: { ...run, notices: [...run.notices, e.message] } });
          else if (e.type === 'storage-full') set({ run: { ...run, storageFull: true } });
        };
        try {
          const summary = await clipWorker().classify(
            { items: items.map((i) => ({ id: i.id, name: i.path, file: i.file, hash: i.hash })), classes, templates },
            proxy(onEvent),
          );
          if (flushTimer) clearTimeout(flushTimer);
          flush();
          const cur = get().results!;
          const final = { ...cur, finishedAt: Date.now() };
          set({ results: final, run: { ...get().run, status: summary.cancelled ? 'cancelled' : 'done', done: summary.done } });
          const { restored: _r, ...toSave } = final;
          void queueSave({ results: toSave, items: savedItems() });
        } catch (e) {
          if (flushTimer) clearTimeout(flushTimer);
          flush();
          const msg = e instanceof Error ? e.message : String(e);
          if (isGpuLost(msg) && !carried.length) {
            // Restart on WASM in a fresh worker and run again: finished images come from the cache.
            const reason = gpuLostReason(msg);
            set({ run: { ...get().run, notices: [...get().run.notices, reason] } });
            await useModel.getState().restartOnWasm(reason);
            if (useModel.getState().status === 'ready') return get().classify([...get().run.notices]);
          }
          set({ run: { ...get().run, status: 'error', error: msg } });
        }
      },

      async resume() {
        await get().classify();
      },

      cancel() {
        void clipWorker().cancelClassify();
      },

      async restoreLast() {
        if (get().results || useImages.getState().items.length) return;
        let saved: SavedSession | undefined;
        try {
          saved = (await (await resultsDb()).get('sessions', 'clip-last')) as SavedSession | undefined;
        } catch {
          return;
        }
        if (!saved || get().results || useImages.getState().items.length) return;
        const cache = new EmbeddingCache();
        const items: ImageItem[] = await Promise.all(
          saved.items.map(async (i) => ({ ...i, thumb: i.hash ? await cache.getThumb(i.hash) : undefined })),
        );
        useImages.getState().restore(items);
        if (saved.interrupted) {
          set({ results: { ...saved.results, restored: true }, interrupted: saved.interrupted, run: { ...idleRun, status: 'cancelled', done: saved.interrupted.done, total: saved.interrupted.total } });
          return;
        }
        set({ results: { ...saved.results, restored: true }, run: { ...idleRun, status: 'done', done: items.length, total: items.length } });
      },

      async forget() {
        set({ results: null, run: idleRun, interrupted: null });
        try {
          await (await resultsDb()).delete('sessions', 'clip-last');
        } catch {
          // nothing saved
        }
      },
    }),
    {
      name: 'lab-classify',
      partialize: (s) => ({ preset: s.preset, classesText: s.classesText, template: s.template, presetTemplates: s.presetTemplates }),
    },
  ),
);

// The CLIP worker died mid-run: the run ends with the reason (finished images stay, from the cache).
onClipWorkerCrash((message) => {
  const { run } = useClassify.getState();
  if (run.status === 'text' || run.status === 'running') useClassify.setState({ run: { ...run, status: 'error', error: message } });
});
