/**
 * Which CLIPSeg model the segmentation panel uses and its loading state (the CLIP panel's model
 * store, for CLIPSeg). Source settings are remembered; a model loaded once reloads on the next
 * visit from the browser cache. URL query `?host=<url>&segModel=<org/name>` picks a self-hosted
 * model (the e2e suite uses it); `&device=` and `&dtype=` override the automatic choice.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { segmentWorker, proxy, type LoadedSegModel } from '../workers/segment-client';
import { currentSource, type PickedFolder, type SourceKind } from './model';
import { blockedByCsp } from '../csp-check';
import type { LoadSnapshot } from '../../src/runtime/progress';
import type { GpuProbe, WebDevice, WebDtype } from '../../src/runtime/backend';

// Same as DEFAULT_CLIPSEG_MODEL in src/segment/clipseg.ts, written out so the main bundle does not pull transformers.js.
export const DEFAULT_SEG_MODEL = 'Xenova/clipseg-rd64-refined';
export const SEG_HUB_MODELS = [DEFAULT_SEG_MODEL];

export interface SegModelState {
  kind: SourceKind;
  hubId: string;
  host: string;
  urlId: string;
  folder: PickedFolder | null;
  device: WebDevice | 'auto';
  dtype: WebDtype | 'auto';
  autoload: boolean;
  status: 'idle' | 'loading' | 'ready' | 'error' | 'cancelled';
  progress: LoadSnapshot | null;
  loaded: LoadedSegModel | null;
  error: string | null;
  probe: { gpu: GpuProbe; threads: number; isolated: boolean } | null;
  /** bumps on every successful load: results of the previous model are stale */
  generation: number;
  set(patch: Partial<Pick<SegModelState, 'kind' | 'hubId' | 'host' | 'urlId' | 'folder' | 'device' | 'dtype'>>): void;
  load(): Promise<void>;
  cancel(): void;
  runProbe(): Promise<void>;
  fellBack(model: LoadedSegModel): void;
}

function fromQuery(): Partial<SegModelState> {
  const q = new URLSearchParams(location.search);
  const out: Partial<SegModelState> = {};
  const host = q.get('host');
  const model = q.get('segModel');
  if (host && model) Object.assign(out, { kind: 'url', host, urlId: model, autoload: true });
  else if (model) Object.assign(out, { kind: 'hub', hubId: model });
  const device = q.get('device');
  if (device === 'wasm' || device === 'webgpu' || device === 'auto') out.device = device;
  const dtype = q.get('dtype');
  if (dtype === 'fp32' || dtype === 'fp16' || dtype === 'q8' || dtype === 'auto') out.dtype = dtype;
  return out;
}

export const useSegModel = create<SegModelState>()(
  persist(
    (set, get) => ({
      kind: 'hub',
      hubId: DEFAULT_SEG_MODEL,
      host: '',
      urlId: '',
      folder: null,
      device: 'auto',
      dtype: 'auto',
      autoload: false,
      status: 'idle',
      progress: null,
      loaded: null,
      error: null,
      probe: null,
      generation: 0,

      set(patch) {
        set(patch);
      },

      async load() {
        const s = get();
        const source = currentSource({ ...s, hubId: s.hubId.trim() || DEFAULT_SEG_MODEL });
        if (!source) {
          set({ status: 'error', error: 'choose a model source first' });
          return;
        }
        const blocked = source.kind === 'url' ? blockedByCsp(source.baseUrl) : null;
        if (blocked) {
          set({ status: 'error', error: blocked, loaded: null, progress: null });
          return;
        }
        set({ status: 'loading', progress: null, error: null, loaded: null });
        try {
          const loaded = await segmentWorker().load(
            { source, device: s.device, dtype: s.dtype, siteBase: new URL('./', document.baseURI).href },
            proxy((p: LoadSnapshot) => set({ progress: p })),
          );
          set({ status: 'ready', loaded, autoload: source.kind !== 'files', generation: get().generation + 1 });
        } catch (e) {
          if (get().status === 'cancelled') return;
          set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
        }
      },

      cancel() {
        set({ status: 'cancelled' });
        void segmentWorker().cancelLoad();
      },

      async runProbe() {
        if (get().probe) return;
        set({ probe: await segmentWorker().probe() });
      },

      fellBack(model) {
        set({ loaded: model });
      },
    }),
    {
      name: 'lab-segment-model',
      partialize: (s) => ({ kind: s.kind === 'folder' ? 'hub' : s.kind, hubId: s.hubId, host: s.host, urlId: s.urlId, device: s.device, dtype: s.dtype, autoload: s.autoload }),
      merge: (persisted, current) => ({ ...current, ...(persisted as object), ...fromQuery() }),
    },
  ),
);
