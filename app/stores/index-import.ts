/**
 * An embedding index imported into the lab (Parquet parts made by `cli embed`, dropped or fetched from a
 * URL): held by the index worker, searched, de-duplicated, mapped and probed there with the loaded
 * model's text embeddings, never recomputed. The explore and hardness panels share this one index.
 */
import { create } from 'zustand';
import type { DroppedFile } from './images';
import { useModel } from './model';
import { currentTemplates, useExplore } from './explore';
import type { IndexMap, IndexSearch, IndexSummary } from '../workers/index-protocol';
import type { ProbeResult } from '../workers/explore-protocol';
import { indexWithClip, onIndexWorkerCrash } from '../workers/index-client';

interface IndexImportState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  summary: IndexSummary | null;
  /** why the index was refused or could not be read */
  error: string | null;
  /** the URL field (a .parquet file, or a folder written by `cli embed`) */
  url: string;
  query: string;
  result: IndexSearch | null;
  searchError: string | null;
  dupThreshold: number;
  dupGroups: { groups: string[][]; ms: number; threshold: number } | null;
  map: IndexMap | null;
  probe: ProbeResult | null;
  /** near-duplicates, map or probe running */
  busy: 'dups' | 'map' | 'probe' | null;
  jobError: string | null;
  open(files: DroppedFile[]): Promise<void>;
  setUrl(url: string): void;
  openUrl(): Promise<void>;
  setQuery(q: string): void;
  runSearch(): Promise<void>;
  setDupThreshold(t: number): void;
  findDuplicates(): Promise<void>;
  buildMap(): Promise<void>;
  trainProbe(): Promise<void>;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
let seq = 0;

/** The index's classes: its `label` values (folder names) with at least one row. */
export const indexClasses = (s: IndexSummary | null) => (s?.labels ?? []).map((l) => l.name);

export const useIndexImport = create<IndexImportState>()((set, get) => {
  const load = async (read: (loaded: { label: string; dim: number }) => Promise<IndexSummary>) => {
    const loaded = useModel.getState().loaded;
    if (!loaded) return;
    const had = get().summary;
    set({ status: 'loading', error: null });
    try {
      const summary = await read({ label: loaded.label, dim: loaded.dim });
      set({ status: 'ready', summary, result: null, dupGroups: null, map: null, probe: null, jobError: null });
      if (get().query.trim()) await get().runSearch();
    } catch (e) {
      // A refused index leaves the previous one in place (the worker keeps it).
      set({ status: had ? 'ready' : 'error', error: errorText(e), summary: had });
    }
  };
  const job = async <T>(busy: 'dups' | 'map' | 'probe', run: () => Promise<T>, done: (r: T) => Partial<IndexImportState>) => {
    if (!get().summary || get().busy) return;
    set({ busy, jobError: null });
    try {
      const r = await run();
      set({ ...done(r), busy: null });
    } catch (e) {
      set({ jobError: errorText(e), busy: null });
    }
  };
  return {
    status: 'idle',
    summary: null,
    error: null,
    url: '',
    query: '',
    result: null,
    searchError: null,
    dupThreshold: 0.95,
    dupGroups: null,
    map: null,
    probe: null,
    busy: null,
    jobError: null,

    open: (files) => load(async (loaded) => (await indexWithClip()).open(files.map((f) => ({ name: f.path, file: f.file })), loaded)),

    setUrl(url) {
      set({ url });
    },

    async openUrl() {
      const url = get().url.trim();
      if (!url) return;
      // relative URLs are taken from the page's address (a folder served beside the lab)
      const absolute = new URL(url, document.baseURI).href;
      await load(async (loaded) => (await indexWithClip()).openUrl(absolute, loaded));
    },

    setQuery(query) {
      set({ query });
    },

    async runSearch() {
      const q = get().query.trim();
      if (!q || !get().summary) return set({ result: null });
      const mine = ++seq;
      try {
        const result = await (await indexWithClip()).search(q, 50);
        if (mine === seq) set({ result, searchError: null });
      } catch (e) {
        if (mine === seq) set({ searchError: errorText(e) });
      }
    },

    setDupThreshold(dupThreshold) {
      set({ dupThreshold });
    },

    findDuplicates: () => {
      const threshold = get().dupThreshold;
      return job('dups', async () => (await indexWithClip()).duplicates(threshold), (r) => ({ dupGroups: { ...r, threshold } }));
    },

    buildMap: () =>
      job(
        'map',
        async () => (await indexWithClip()).map({ classes: indexClasses(get().summary), templates: currentTemplates(), method: 'auto', include: get().result?.hits.map((h) => h.row) ?? [], seed: 0 }),
        (map) => ({ map }),
      ),

    trainProbe: () =>
      job('probe', async () => (await indexWithClip()).probe({ classes: indexClasses(get().summary), templates: currentTemplates(), heldOutFraction: useExplore.getState().heldOut, seed: useExplore.getState().seed, l2: useExplore.getState().l2 }), (probe) => ({ probe })),
  };
});

onIndexWorkerCrash((message) => useIndexImport.setState({ status: 'error', summary: null, result: null, busy: null, error: message }));
