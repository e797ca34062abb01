/**
 * What transformers.js has stored in the browser's Cache API ("transformers-cache"): model files
 * keyed by their URL, `<host>/<org>/<name>/resolve/<rev>/<file>`, plus ONNX Runtime's wasm.
 * Listed per model with sizes, and cleared on request.
 */
export const MODEL_CACHE_NAME = 'transformers-cache';

export interface CachedFile {
  url: string;
  file: string;
  size: number;
}

export interface CachedModel {
  /** `<org>/<name>` (or "ONNX Runtime" for the wasm files) */
  model: string;
  host: string;
  files: CachedFile[];
  size: number;
}

function parse(url: string): { model: string; host: string; file: string } {
  const u = new URL(url);
  const m = /^\/(.+?)\/resolve\/[^/]+\/(.+)$/.exec(u.pathname);
  if (m) return { model: decodeURIComponent(m[1]), host: u.origin, file: decodeURIComponent(m[2]) };
  return { model: 'ONNX Runtime', host: u.origin, file: u.pathname.split('/').pop() ?? u.pathname };
}

async function sizeOf(res: Response): Promise<number> {
  const len = Number(res.headers.get('content-length'));
  if (Number.isFinite(len) && len > 0) return len;
  return (await res.blob()).size;
}

export async function listCachedModels(): Promise<CachedModel[]> {
  if (typeof caches === 'undefined' || !(await caches.has(MODEL_CACHE_NAME))) return [];
  const cache = await caches.open(MODEL_CACHE_NAME);
  const groups = new Map<string, CachedModel>();
  for (const req of await cache.keys()) {
    const res = await cache.match(req);
    if (!res) continue;
    const { model, host, file } = parse(req.url);
    const key = `${host} ${model}`;
    const g = groups.get(key) ?? { model, host, files: [], size: 0 };
    groups.set(key, g);
    const size = await sizeOf(res);
    g.files.push({ url: req.url, file, size });
    g.size += size;
  }
  return [...groups.values()].sort((a, b) => a.model.localeCompare(b.model));
}

/** Deletes one model's files (by `<host> <model>` group) or, without arguments, everything. */
export async function clearCachedModels(only?: { host: string; model: string }): Promise<void> {
  if (typeof caches === 'undefined') return;
  if (!only) {
    await caches.delete(MODEL_CACHE_NAME);
    return;
  }
  const cache = await caches.open(MODEL_CACHE_NAME);
  for (const req of await cache.keys()) {
    const p = parse(req.url);
    if (p.host === only.host && p.model === only.model) await cache.delete(req);
  }
}

export interface StorageEstimate {
  used: number;
  quota: number;
}

export async function storageEstimate(): Promise<StorageEstimate | null> {
  const est = await globalThis.navigator?.storage?.estimate?.();
  return est ? { used: est.usage ?? 0, quota: est.quota ?? 0 } : null;
}
