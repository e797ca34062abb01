/**
 * `class/image` folder trees (ImageNet-val style). The label of an image is its parent folder;
 * a synset list (`LOC_synset_mapping.txt` or any `*synset*.txt`: "n01440764 tench, Tinca tinca"
 * per line) fixes the class order, and with 1000 lines the classes get CLIP's ImageNet names; a
 * `LOC_val_solution.csv` labels a flat folder by image id. An image with no class is an error entry.
 */
import { hasImageExtension } from '../data/files';

export interface FolderFile {
  /** path relative to the dropped or given root, '/'-separated */
  path: string;
  read: () => Promise<Uint8Array>;
}

export interface FolderItem {
  name: string;
  label: number;
  read: () => Promise<Uint8Array>;
}

export interface FolderDataset {
  classes: string[];
  /** the class keys as found (folder names or synset ids), in class order */
  keys: string[];
  items: FolderItem[];
  errors: { image: string; error: string }[];
  /** which mapping file was used, if any */
  mapping?: string;
}

const isSynsetList = (p: string) => /(^|\/)[^/]*synset[^/]*\.txt$/i.test(p);
const isValSolution = (p: string) => /(^|\/)LOC_val_solution\.csv$/i.test(p);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Folder name as a prompt: underscores to spaces (ImageNet-style "golden_retriever"). */
const humanise = (key: string) => key.replace(/_/g, ' ');

export async function buildFolderDataset(files: readonly FolderFile[], imagenetNames?: readonly string[]): Promise<FolderDataset> {
  const synset = files.find((f) => isSynsetList(f.path));
  const solution = files.find((f) => isValSolution(f.path));
  const images = files.filter((f) => hasImageExtension(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const errors: FolderDataset['errors'] = [];

  let keys: string[] = [];
  let names: string[] = [];
  if (synset) {
    for (const line of dec(await synset.read()).split(/\r?\n/)) {
      const m = /^\s*(\S+)\s*(.*)$/.exec(line);
      if (!m) continue;
      keys.push(m[1]);
      names.push(m[2].split(',')[0].trim() || m[1]);
    }
    if (imagenetNames && keys.length === imagenetNames.length) names = [...imagenetNames];
  }
  const byId = new Map<string, string>();
  if (solution) {
    for (const line of dec(await solution.read()).split(/\r?\n/).slice(1)) {
      const [id, pred] = line.split(',');
      if (id && pred) byId.set(id.trim(), pred.trim().split(/\s+/)[0]);
    }
  }
  const keyOf = (path: string): string | undefined => {
    const parts = path.split('/');
    const stem = parts[parts.length - 1].replace(/\.[^.]+$/, '');
    if (byId.has(stem)) return byId.get(stem);
    return parts.length >= 2 ? parts[parts.length - 2] : undefined;
  };
  if (!synset) {
    keys = [...new Set(images.map((f) => keyOf(f.path)).filter((k): k is string => k !== undefined))].sort();
    names = keys.map(humanise);
  }
  const index = new Map(keys.map((k, i) => [k, i]));
  const items: FolderItem[] = [];
  for (const f of images) {
    const key = keyOf(f.path);
    const label = key === undefined ? undefined : index.get(key);
    if (label === undefined) errors.push({ image: f.path, error: key === undefined ? 'no class: the image is not inside a class folder' : `class "${key}" is not in ${synset?.path}` });
    else items.push({ name: f.path, label, read: f.read });
  }
  return { classes: names, keys, items, errors, mapping: synset?.path ?? solution?.path };
}

/**
 * The files of one split: with `train/` and `test/` (or `val/`) at the top (under one common root
 * folder, if any), that subfolder; otherwise the whole tree is the test split and there is no train.
 * Returns null when the split asked for does not exist.
 */
export function splitFolderFiles<T extends { path: string }>(files: readonly T[], split: 'train' | 'test'): T[] | null {
  const parts = files.map((f) => f.path.split('/'));
  // one common root folder (a dropped or zipped "dataset/" folder) is not part of the layout
  const first = parts[0]?.[0];
  const root = parts.length && !['train', 'test', 'val'].includes(first) && parts.every((p) => p.length >= 2 && p[0] === first) && parts.some((p) => p.length > 2) ? 1 : 0;
  const top = new Set(parts.map((p) => p[root]));
  const hasSplits = top.has('train') && (top.has('test') || top.has('val'));
  if (!hasSplits) return split === 'train' ? null : files.map((f, i) => ({ ...f, path: parts[i].slice(root).join('/') }));
  const want = split === 'train' ? 'train' : top.has('test') ? 'test' : 'val';
  const out: T[] = [];
  files.forEach((f, i) => {
    const p = parts[i];
    if (p[root] === want) out.push({ ...f, path: p.slice(root + 1).join('/') });
    // mapping files beside the splits serve both
    else if (p.length === root + 1) out.push({ ...f, path: p.slice(root).join('/') });
  });
  return out;
}
