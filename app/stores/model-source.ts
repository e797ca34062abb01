/** Where a model comes from, as the model sections' fields hold it, and the source they name. */
import type { ModelSource } from '../../src/runtime/model-source';
import type { WebDevice, WebDtype } from '../../src/runtime/backend';

export type SourceKind = 'hub' | 'url' | 'folder';

export interface PickedFolder {
  name: string;
  /** keyed by path inside the model folder: "config.json", "onnx/vision_model.onnx" */
  files: Map<string, File>;
}

export interface SourceFields {
  kind: SourceKind;
  hubId: string;
  host: string;
  urlId: string;
  folder: PickedFolder | null;
}

/** The source the fields name, or null while one is incomplete; an empty Hub id means `defaultId`. */
export function currentSource(s: SourceFields, defaultId: string): ModelSource | null {
  switch (s.kind) {
    case 'hub':
      return { kind: 'hub', id: s.hubId.trim() || defaultId };
    case 'url':
      return s.host.trim() && s.urlId.trim() ? { kind: 'url', baseUrl: s.host.trim(), id: s.urlId.trim() } : null;
    case 'folder':
      return s.folder ? { kind: 'files', name: s.folder.name, files: s.folder.files } : null;
  }
}

/** A folder from `<input webkitdirectory>`: its name and its files by path inside it. */
export function pickedFolder(list: FileList | null): PickedFolder | null {
  const files = Array.from(list ?? []);
  if (!files.length) return null;
  const name = files[0].webkitRelativePath.split('/')[0];
  return { name, files: new Map(files.map((file) => [file.webkitRelativePath.split('/').slice(1).join('/'), file])) };
}

type QueryPick = Partial<SourceFields> & { autoload?: boolean; device?: WebDevice | 'auto'; dtype?: WebDtype | 'auto' };

/** `?host=&<modelParam>=&device=&dtype=` from the page URL: a self-hosted model (autoloaded) and backend overrides. */
export function sourceFromQuery(modelParam: string): QueryPick {
  const q = new URLSearchParams(location.search);
  const out: QueryPick = {};
  const host = q.get('host');
  const model = q.get(modelParam);
  if (host && model) Object.assign(out, { kind: 'url', host, urlId: model, autoload: true });
  else if (model) Object.assign(out, { kind: 'hub', hubId: model });
  const device = q.get('device');
  if (device === 'wasm' || device === 'webgpu' || device === 'auto') out.device = device;
  const dtype = q.get('dtype');
  if (dtype === 'fp32' || dtype === 'fp16' || dtype === 'q8' || dtype === 'auto') out.dtype = dtype;
  return out;
}
