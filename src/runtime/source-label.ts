/**
 * Where a model's files come from, and its short label, as plain types and code: the UI's main
 * thread reads this without pulling transformers.js into its bundle (src/runtime/model-source.ts
 * points transformers.js at a source).
 */

/** Files handed over by the user (browser folder picker, drag and drop), keyed by path inside the model folder. */
export type ModelFileMap = ReadonlyMap<string, Blob | ArrayBuffer | Uint8Array>;

export type ModelSource =
  /** huggingface.co, cached by transformers.js (Cache API in browsers, file cache in Node). */
  | { kind: 'hub'; id: string; revision?: string }
  /** A self-hosted mirror in Hub layout: `<baseUrl>/<id>/resolve/<revision>/<file>`. */
  | { kind: 'url'; baseUrl: string; id: string; revision?: string }
  /** A folder on disk (Node only). Relative paths are resolved against the current directory. */
  | { kind: 'path'; path: string }
  /** A folder's files in memory (browser, no network at all). `name` is shown to users. */
  | { kind: 'files'; name: string; files: ModelFileMap };

/** A short human label: the hub id, URL, folder path or picked folder name. */
export function sourceLabel(source: ModelSource): string {
  switch (source.kind) {
    case 'hub':
      return source.id;
    case 'url':
      return `${source.baseUrl.replace(/\/+$/, '')}/${source.id}`;
    case 'path':
      return source.path;
    case 'files':
      return source.name;
  }
}
