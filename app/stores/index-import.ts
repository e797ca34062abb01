/**
 * An embedding index imported into the explore panel (Parquet parts made by `cli embed`): held by
 * the index worker, searched there with the loaded model's text embeddings, never recomputed.
 */
import { create } from 'zustand';
import type { DroppedFile } from './images';
import { useModel } from './model';
import type { IndexSearch, IndexSummary } from '../workers/index-protocol';
import { indexWithClip, onIndexWorkerCrash } from '../workers/index-client';

interface IndexImportState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  summary: IndexSummary | null;
  /** why the index was refused or could not be read */
  error: string | null;
  query: string;
  result: IndexSearch | null;
  searchError: string | null;
  open(files: DroppedFile[]): Promise<void>;
  setQuery(q: string): void;
  runSearch(): Promise<void>;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
let seq = 0;

export const useIndexImport = create<IndexImportState>()((set, get) => ({
  status: 'idle',
  summary: null,
  error: null,
  query: '',
  result: null,
  searchError: null,

  async open(files) {
    const loaded = useModel.getState().loaded;
    if (!loaded) return;
    const had = get().summary;
    set({ status: 'loading', error: null });
    try {
      const summary = await (await indexWithClip()).open(
        files.map((f) => ({ name: f.path, file: f.file })),
        { label: loaded.label, dim: loaded.dim },
      );
      set({ status: 'ready', summary, result: null });
      if (get().query.trim()) await get().runSearch();
    } catch (e) {
      // A refused index leaves the previous one in place (the worker keeps it).
      set({ status: had ? 'ready' : 'error', error: errorText(e), summary: had });
    }
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
}));

onIndexWorkerCrash((message) => useIndexImport.setState({ status: 'error', summary: null, result: null, error: message }));
