/**
 * One store per model kind (CLIP, CLIPSeg): where the model comes from and its loading state.
 * Source settings are remembered; a model loaded once reloads on the next visit (from the browser
 * cache, so it works offline). The URL query can name a self-hosted model (see sourceFromQuery).
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { proxy, type Remote } from 'comlink';
import { blockedByCsp } from '../csp-check';
import { currentSource, sourceFromQuery, type SourceFields } from './model-source';
import type { LoadedInfo, LoadRequest, ModelLoaderApi, WorkerProbe } from '../../src/runtime/model-protocol';
import type { LoadSnapshot } from '../../src/runtime/progress';
import type { WebDevice, WebDtype } from '../../src/runtime/backend';

export interface ModelStoreSpec<L extends LoadedInfo> {
  /** localStorage key of the remembered settings */
  storageKey: string;
  /** what an empty Hub id field means */
  defaultId: string;
  /** the URL query parameter that names a model (with `host=`: a self-hosted one) */
  queryParam: string;
  worker(): Remote<ModelLoaderApi<L>>;
  /** terminates the worker: the next call starts a fresh one */
  resetWorker(): void;
  /** the worker's crash (app/workers/worker-handle.ts): the model is gone with it */
  onWorkerCrash(listener: (message: string) => void): () => void;
  /** extra request fields, e.g. test hooks read from the URL */
  requestExtras?(): Partial<LoadRequest>;
}

type Editable = SourceFields & { device: WebDevice | 'auto'; dtype: WebDtype | 'auto' };

export interface ModelState<L extends LoadedInfo = LoadedInfo> extends Editable {
  /** reload the last model on the next visit */
  autoload: boolean;
  status: 'idle' | 'loading' | 'ready' | 'error' | 'cancelled';
  progress: LoadSnapshot | null;
  loaded: L | null;
  error: string | null;
  probe: WorkerProbe | null;
  /** bumps on every successful load: results of the previous model are stale */
  generation: number;

  set(patch: Partial<Editable>): void;
  /** `recheckGpu`: forget this adapter's WebGPU self-check verdict and check again while loading */
  load(opts?: { recheckGpu?: boolean }): Promise<void>;
  cancel(): void;
  runProbe(): Promise<void>;
  /** loads the model of the previous visit, once per page (React's StrictMode runs effects twice) */
  autoloadOnce(): void;
  /** WebGPU was lost mid-run: a fresh worker loads the model on WASM (src/runtime/gpu-lost.ts) */
  restartOnWasm(reason: string): Promise<void>;
}

/** e2e hook from the URL: `?gpuCheck=mismatch|match` forces the WebGPU self-check's outcome (app/workers/model-load.ts). */
function gpuCheckHook(): Partial<LoadRequest> {
  const g = new URLSearchParams(location.search).get('gpuCheck');
  return g === 'mismatch' || g === 'match' ? { gpuCheck: g } : {};
}

export function createModelStore<L extends LoadedInfo>(spec: ModelStoreSpec<L>) {
  // A newer load supersedes an older one (the worker aborts it): the older outcome is then ignored.
  let loadGeneration = 0;
  let autoloaded = false;
  const store = create<ModelState<L>>()(
    persist(
      (set, get) => ({
        kind: 'hub',
        hubId: spec.defaultId,
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

        async load(opts = {}) {
          const source = currentSource(get(), spec.defaultId);
          if (!source) {
            set({ status: 'error', error: 'choose a model source first' });
            return;
          }
          const gen = ++loadGeneration;
          const blocked = source.kind === 'url' ? blockedByCsp(source.baseUrl) : null;
          if (blocked) {
            set({ status: 'error', error: blocked, loaded: null, progress: null });
            return;
          }
          const prev = get().loaded;
          const { device: wanted } = get();
          // The worker's ONNX Runtime keeps the build it started with: a fresh worker when this load
          // needs the other (WebGPU after a WASM load; WASM after a WebGPU one gets the plain build).
          if ((prev?.ortBuild === 'cpu' && wanted !== 'wasm' && get().probe?.gpu.webgpu !== false) || (prev?.ortBuild === 'webgpu' && wanted === 'wasm')) spec.resetWorker();
          set({ status: 'loading', progress: null, error: null, loaded: null });
          try {
            const { device, dtype } = get();
            const loaded = await spec.worker().load(
              {
                source,
                device,
                dtype,
                siteBase: new URL('./', document.baseURI).href,
                ...gpuCheckHook(),
                ...(opts.recheckGpu ? { recheckGpu: true } : {}),
                ...spec.requestExtras?.(),
              },
              proxy((p: LoadSnapshot) => gen === loadGeneration && set({ progress: p })),
            );
            if (gen !== loadGeneration) return;
            // A folder from disk cannot be reopened without the user: do not autoload it.
            // (`as L`: Comlink's types cannot see that a generic L arrives as a plain clone.)
            set({ status: 'ready', loaded: loaded as L, autoload: source.kind !== 'files', generation: get().generation + 1 });
          } catch (e) {
            if (gen !== loadGeneration || get().status === 'cancelled') return;
            set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
          }
        },

        cancel() {
          set({ status: 'cancelled' });
          void spec.worker().cancelLoad();
        },

        async runProbe() {
          if (get().probe) return;
          set({ probe: await spec.worker().probe() });
        },

        autoloadOnce() {
          const s = get();
          if (!s.autoload || s.status !== 'idle' || autoloaded) return;
          autoloaded = true;
          void s.load();
        },

        async restartOnWasm(reason) {
          spec.resetWorker();
          set({ device: 'wasm' });
          await get().load();
          const loaded = get().loaded;
          if (loaded) set({ loaded: { ...loaded, fallbackReason: reason } });
        },
      }),
      {
        name: spec.storageKey,
        // A picked folder is not remembered (its files cannot be reopened), so the Hub comes back.
        partialize: (s) => ({ kind: s.kind === 'folder' ? 'hub' : s.kind, hubId: s.hubId, host: s.host, urlId: s.urlId, device: s.device, dtype: s.dtype, autoload: s.autoload }),
        merge: (persisted, current) => ({ ...current, ...(persisted as object), ...sourceFromQuery(spec.queryParam) }),
      },
    ),
  );
  // A load in progress ends with the crash's message; a loaded model is gone and must be loaded again.
  spec.onWorkerCrash((message) => {
    const { status } = store.getState();
    if (status === 'loading' || status === 'ready') {
      loadGeneration++;
      store.setState({ status: 'error', error: message, loaded: null, progress: null });
    }
  });
  return store;
}
