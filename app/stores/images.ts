/**
 * The images the user dropped. The folder a file sits in is its label (for accuracy).
 * Object URLs for thumbnails are made lazily by the grid; files are kept as File handles only.
 */
import { create } from 'zustand';

export interface ImageItem {
  id: string;
  /** path as dropped, e.g. "cats/tabby.jpg" (just the name for loose files) */
  path: string;
  name: string;
  /** the parent folder's name, when the file came from a folder */
  label?: string;
  /** absent for items restored from a previous session */
  file?: File;
  size: number;
  /** content hash, known once classified (or restored) */
  hash?: string;
  /** thumbnail made by the worker (restored sessions and classified images) */
  thumb?: Blob;
}

export interface DroppedFile {
  file: File;
  /** relative path inside a dropped folder, or the file name */
  path: string;
}

interface ImagesState {
  items: ImageItem[];
  /** same path, size and date as an image already in the list */
  skipped: number;
  add(files: DroppedFile[]): void;
  restore(items: ImageItem[]): void;
  setThumbs(updates: Map<string, { hash?: string; thumb?: Blob }>): void;
  clear(): void;
}

let counter = 0;
const newId = () => `img-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function labelFromPath(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

export const useImages = create<ImagesState>()((set, get) => ({
  items: [],
  skipped: 0,

  add(files) {
    const seen = new Set(get().items.map((i) => `${i.path}|${i.size}|${i.file?.lastModified ?? ''}`));
    // Items restored from an interrupted run have no file: the same file dropped again fills them in.
    const waiting = new Map(get().items.filter((i) => !i.file).map((i) => [`${i.path}|${i.size}`, i.id]));
    const refilled = new Map<string, File>();
    const added: ImageItem[] = [];
    let skipped = 0;
    for (const { file, path } of files) {
      const id = waiting.get(`${path}|${file.size}`);
      if (id !== undefined) {
        waiting.delete(`${path}|${file.size}`);
        refilled.set(id, file);
        continue;
      }
      const key = `${path}|${file.size}|${file.lastModified}`;
      if (seen.has(key)) {
        skipped++;
        continue;
      }
      seen.add(key);
      added.push({ id: newId(), path, name: file.name, label: labelFromPath(path), file, size: file.size });
    }
    added.sort((a, b) => a.path.localeCompare(b.path));
    const items = refilled.size ? get().items.map((i) => (refilled.has(i.id) ? { ...i, file: refilled.get(i.id) } : i)) : get().items;
    set({ items: [...items, ...added], skipped: get().skipped + skipped });
  },

  restore(items) {
    set({ items, skipped: 0 });
  },

  setThumbs(updates) {
    set({ items: get().items.map((i) => (updates.has(i.id) ? { ...i, ...updates.get(i.id) } : i)) });
  },

  clear() {
    set({ items: [], skipped: 0 });
  },
}));
