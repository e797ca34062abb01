/**
 * Where a model's files come from, and how transformers.js v4 is pointed at them.
 *
 * transformers.js resolves every file through one global `env` (remoteHost, remotePathTemplate,
 * fetch, cache flags). `withModelSource` sets those for one load and restores them afterwards;
 * loads are serialised so two sources never share the global settings at the same time.
 * Once `from_pretrained` resolves, the ONNX sessions hold their weights, so restoring env is safe.
 */
import { env } from '@huggingface/transformers';
import { retryingFetch, type FetchLike, type RetryOptions } from './retry-fetch';

export const DEFAULT_CLIP_MODEL = 'Xenova/clip-vit-base-patch32';

export type { ModelFileMap, ModelSource } from './source-label';
export { sourceLabel } from './source-label';
import type { ModelFileMap, ModelSource } from './source-label';


/** Host used for `files` sources: never reached, our fetch answers it from the map. */
const FILES_HOST = 'https://model-files.invalid/';

interface EnvSnapshot {
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  remoteHost: string;
  remotePathTemplate: string;
  useBrowserCache: boolean;
  useFSCache: boolean;
  useCustomCache: boolean;
  customCache: typeof env.customCache;
  cacheDir: string | null;
  fetch: typeof env.fetch;
}

function snapshot(): EnvSnapshot {
  const { allowRemoteModels, allowLocalModels, remoteHost, remotePathTemplate } = env;
  const { useBrowserCache, useFSCache, useCustomCache, customCache, cacheDir, fetch } = env;
  return {
    allowRemoteModels, allowLocalModels, remoteHost, remotePathTemplate,
    useBrowserCache, useFSCache, useCustomCache, customCache, cacheDir, fetch,
  };
}

function restore(s: EnvSnapshot): void {
  Object.assign(env, s);
}

function toBlobPart(v: Blob | ArrayBuffer | Uint8Array): Blob {
  return v instanceof Blob ? v : new Blob([v as BlobPart]);
}

/** Looks a transformers.js URL/path up in the map by the part after `/resolve/<rev>/`. */
function lookup(files: ModelFileMap, url: string): Blob | undefined {
  const m = /\/resolve\/[^/]+\/(.+)$/.exec(url);
  const v = m && url.startsWith(FILES_HOST) ? files.get(decodeURIComponent(m[1])) : undefined;
  return v === undefined ? undefined : toBlobPart(v);
}

/**
 * The picked files served as a transformers.js custom cache: every file is a cache hit, so nothing
 * is fetched or copied, in browsers and in Node alike (Node needs a cache hit or a file path to
 * hand ONNX files to onnxruntime; a plain fetch Response is not enough there).
 */
function fileMapCache(files: ModelFileMap): NonNullable<typeof env.customCache> {
  return {
    match: async (request: string) => {
      const hit = lookup(files, String(request));
      return hit && new Response(hit, { status: 200, headers: { 'content-length': String(hit.size) } });
    },
    put: async () => undefined,
  };
}

/**
 * Misses of the file-map cache end here: a 404 naming the file. Other URLs (onnxruntime's own
 * wasm files, fetched by transformers.js during a load) go to the real fetch.
 */
function fileMapFetch(base: typeof env.fetch): typeof env.fetch {
  return async (input: string | URL, init?: unknown) => {
    const url = String(input);
    if (!url.startsWith(FILES_HOST)) return base(input, init);
    const key = /\/resolve\/[^/]+\/(.+)$/.exec(url)?.[1] ?? url;
    return new Response(null, { status: 404, statusText: `not in the picked folder: ${decodeURIComponent(key)}` });
  };
}

/** The string handed to `from_pretrained` for this source. */
export function pretrainedId(source: ModelSource): string {
  switch (source.kind) {
    case 'hub':
    case 'url':
      return source.id;
    case 'path':
      // Must not look like a Hub id ("org/name"), or transformers.js prefixes env.localModelPath.
      return /^([/\\.]|[A-Za-z]:)/.test(source.path) ? source.path : './' + source.path;
    case 'files':
      return 'local/' + (source.name.replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'model');
  }
}

/** Revision for the `revision` option of `from_pretrained`. */
export function sourceRevision(source: ModelSource): string {
  return (source.kind === 'hub' || source.kind === 'url') && source.revision ? source.revision : 'main';
}

function apply(source: ModelSource, signal?: AbortSignal, net?: RetryOptions): void {
  // Downloads from a host retry with backoff and resume after a dropped connection.
  if (source.kind === 'hub' || source.kind === 'url') env.fetch = retryingFetch(env.fetch as FetchLike, { ...net, signal }) as typeof env.fetch;
  switch (source.kind) {
    case 'hub':
      env.allowRemoteModels = true;
      env.remoteHost = 'https://huggingface.co/';
      env.remotePathTemplate = '{model}/resolve/{revision}/';
      break;
    case 'url':
      env.allowRemoteModels = true;
      env.remoteHost = source.baseUrl.replace(/\/*$/, '/');
      env.remotePathTemplate = '{model}/resolve/{revision}/';
      // Node's file cache keys by "<org>/<name>/<file>" without the host: give each mirror its own
      // folder so it never collides with the Hub's copy. (Node needs this cache: onnxruntime-node
      // is handed file paths. Browsers key the Cache API by full URL, so nothing to do there.)
      if (env.useFSCache && env.cacheDir) env.cacheDir = `${env.cacheDir.replace(/[/\\]+$/, '')}/mirrors/${hostKey(source.baseUrl)}`;
      break;
    case 'path':
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      break;
    case 'files': {
      env.allowLocalModels = false;
      env.allowRemoteModels = true;
      env.remoteHost = FILES_HOST;
      env.remotePathTemplate = '{model}/resolve/{revision}/';
      env.useCustomCache = true;
      env.customCache = fileMapCache(source.files);
      env.fetch = fileMapFetch(env.fetch);
      break;
    }
  }
  if (signal) {
    const inner = env.fetch;
    env.fetch = (input, init) => {
      signal.throwIfAborted();
      return inner(input, { ...(init ?? {}), signal });
    };
  }
}

function hostKey(baseUrl: string): string {
  return baseUrl.replace(/^[a-z]+:\/\//i, '').replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '');
}

let chain: Promise<unknown> = Promise.resolve();

/**
 * Runs `load` with transformers.js pointed at `source`, one load at a time.
 * `signal` aborts the downloads (the promise then rejects with the abort reason); `net` tunes
 * retries and timeouts of the downloads (defaults in retry-fetch.ts).
 */
export function withModelSource<T>(source: ModelSource, load: () => Promise<T>, signal?: AbortSignal, net?: RetryOptions): Promise<T> {
  const run = async () => {
    const saved = snapshot();
    try {
      signal?.throwIfAborted();
      apply(source, signal, net);
      return await load();
    } finally {
      restore(saved);
    }
  };
  const result = chain.then(run, run);
  chain = result.catch(() => undefined);
  return result;
}
