/**
 * Which CLIP model the lab uses and its loading state. Source settings are remembered; a model
 * loaded once is reloaded on the next visit (from the browser cache, so it works offline).
 * URL query `?host=<url>&model=<org/name>` selects a self-hosted model (used by the e2e suite),
 * `&device=wasm|webgpu&dtype=fp32|fp16|q8` override the automatic choice.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { clipWorker, proxy, resetClipWorker } from '../workers/clip-client';
import { blockedByCsp } from '../csp-check';
import type { ModelSource } from '../../src/runtime/model-source';
import type { LoadedModel } from '../../src/runtime/clip-protocol';
import type { LoadSnapshot } from '../../src/runtime/progress';
import type { GpuProbe, WebDevice, WebDtype } from '../../src/runtime/backend';

// Same as DEFAULT_CLIP_MODEL in src/runtime/model-source.ts, written out: importing that module
// would pull transformers.js into the main thread's bundle (it belongs in the worker only).
export const DEFAULT_CLIP_MODEL = 'Xenova/clip-vit-base-patch32';
export const HUB_MODELS = [DEFAULT_CLIP_MODEL, 'Xenova/clip-vit-base-patch16', 'Xenova/clip-vit-large-patch14'];
export type SourceKind = 'hub' | 'url' | 'folder';

export interface PickedFolder {
  name: string;
  files: Map<string, File>;
}

interface ModelState {
  kind: SourceKind;
  hubId: string;
  host: string;
  urlId: string;
  folder: PickedFolder | null;
  device: WebDevice | 'auto';
  dtype: WebDtype | 'auto';
  /** reload the last model on the next visit */
  autoload: boolean;

  status: 'idle' | 'loading' | 'ready' | 'error' | 'cancelled';
  progress: LoadSnapshot | null;
  loaded: LoadedModel | null;
  error: string | null;
  probe: { gpu: GpuProbe; threads: number; isolated: boolean } | null;

  set(patch: Partial<Pick<ModelState, 'kind' | 'hubId' | 'host' | 'urlId' | 'folder' | 'device' | 'dtype'>>): void;
  load(): Promise<void>;
  cancel(): void;
  runProbe(): Promise<void>;
  /** after a WebGPU failure mid-run the worker reloads on WASM */
  fellBack(model: LoadedModel): void;
  /** WebGPU was lost mid-run: a fresh worker loads the model on WASM (src/runtime/gpu-lost.ts) */
  restartOnWasm(reason: string): Promise<void>;
}

export function currentSource(s: Pick<ModelState, 'kind' | 'hubId' | 'host' | 'urlId' | 'folder'>): ModelSource | null {
  switch (s.kind) {
    case 'hub':
      return { kind: 'hub', id: s.hubId.trim() || DEFAULT_CLIP_MODEL };
    case 'url':
      return s.host.trim() && s.urlId.trim() ? { kind: 'url', baseUrl: s.host.trim(), id: s.urlId.trim() } : null;
    case 'folder':
      return s.folder ? { kind: 'files', name: s.folder.name, files: s.folder.files } : null;
  }
}

/** Applies `?host=&model=&device=&dtype=` once at startup. Returns true when a model was named. */
function fromQuery(): Partial<ModelState> {
  const q = new URLSearchParams(location.search);
  const out: Partial<ModelState> = {};
  const host = q.get('host');
  const model = q.get('model');
  if (host && model) Object.assign(out, { kind: 'url', host, urlId: model, autoload: true });
  else if (model) Object.assign(out, { kind: 'hub', hubId: model });
  const device = q.get('device');
  if (device === 'wasm' || device === 'webgpu' || device === 'auto') out.device = device;
  const dtype = q.get('dtype');
  if (dtype === 'fp32' || dtype === 'fp16' || dtype === 'q8' || dtype === 'auto') out.dtype = dtype;
  return out;
}

/** `?stall=<ms>`: how long a silent model host is waited for before a retry (default 30 s). */
function networkFromQuery(): { stallMs: number } | undefined {
  const stall = Number(new URLSearchParams(location.search).get('stall'));
  return stall > 0 ? { stallMs: stall } : undefined;
}

/** `?loseGpuAfter=<n>`: test hook, the WebGPU device is destroyed after n batches. */
function loseGpuFromQuery(): number | undefined {
  const v = new URLSearchParams(location.search).get('loseGpuAfter');
  return v !== null && Number(v) >= 0 ? Number(v) : undefined;
}

/** `?simulateQuota=1` (storage writes fail as on a full disk) and `?batchDelay=<ms>` (a pause per batch): test hooks. */
function storageHooksFromQuery(): { simulateQuota?: boolean; batchDelayMs?: number } {
  const q = new URLSearchParams(location.search);
  const delay = Number(q.get('batchDelay'));
  return { ...(q.get('simulateQuota') === '1' ? { simulateQuota: true } : {}), ...(delay > 0 ? { batchDelayMs: delay } : {}) };
}

let loadGeneration = 0;

export const useModel = create<ModelState>()(
  persist(
    (set, get) => ({
      kind: 'hub',
      hubId: DEFAULT_CLIP_MODEL,
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

      set(patch) {
        set(patch);
      },

      async load() {
        const source = currentSource(get());
        if (!source) {
          set({ status: 'error', error: 'choose a model source first' });
          return;
        }
        const blocked = source.kind === 'url' ? blockedByCsp(source.baseUrl) : null;
        if (blocked) {
          ++loadGeneration;
          set({ status: 'error', error: blocked, loaded: null, progress: null });
          return;
        }
        // A newer load supersedes this one (the worker aborts it): its outcome is then ignored.
        const gen = ++loadGeneration;
        set({ status: 'loading', progress: null, error: null, loaded: null });
        try {
          const loaded = await clipWorker().load(
            { source, device: get().device, dtype: get().dtype, siteBase: new URL('./', document.baseURI).href, network: networkFromQuery(), loseGpuAfter: loseGpuFromQuery(), ...storageHooksFromQuery() },
            proxy((p: LoadSnapshot) => gen === loadGeneration && set({ progress: p })),
          );
          if (gen !== loadGeneration) return;
          // A folder from disk cannot be reopened without the user: do not autoload it.
          set({ status: 'ready', loaded, autoload: source.kind !== 'files' });
        } catch (e) {
          if (gen !== loadGeneration || get().status === 'cancelled') return;
          set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
        }
      },

      cancel() {
        set({ status: 'cancelled' });
        void clipWorker().cancelLoad();
      },

      async runProbe() {
        if (get().probe) return;
        set({ probe: await clipWorker().probe() });
      },

      fellBack(model) {
        set({ loaded: model });
      },

      async restartOnWasm(reason) {
        resetClipWorker();
        set({ device: 'wasm' });
        await get().load();
        const loaded = get().loaded;
        if (loaded) set({ loaded: { ...loaded, fallbackReason: reason } });
      },
    }),
    {
      name: 'lab-model',
      partialize: (s) => ({ kind: s.kind === 'folder' ? 'hub' : s.kind, hubId: s.hubId, host: s.host, urlId: s.urlId, device: s.device, dtype: s.dtype, autoload: s.autoload }),
      merge: (persisted, current) => ({ ...current, ...(persisted as object), ...fromQuery() }),
    },
  ),
);
