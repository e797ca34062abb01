/**
 * Files from a drop (files and whole folders, via webkitGetAsEntry), a paste, or an <input>.
 * Folder paths are kept ("cats/tabby.jpg") so the folder name can serve as the label.
 */
import type { DroppedFile } from '../../stores/images';

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns at most ~100 entries per call: call until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
    out.push({ file, path: prefix + file.name });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const c of children) await walk(c, `${prefix}${entry.name}/`, out);
  }
}

/** Everything in a DataTransfer: folders walked recursively, loose files as they are. */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  // Entries must be taken synchronously, before any await: the DataTransfer empties afterwards.
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (!entries.length && !loose.length) loose.push(...Array.from(dt.files ?? []));
  for (const e of entries) await walk(e, '', out);
  for (const f of loose) out.push({ file: f, path: f.name });
  return out;
}

/** Files from an <input type=file> (with webkitdirectory, webkitRelativePath holds the folder path). */
export function filesFromInput(list: FileList | null): DroppedFile[] {
  return Array.from(list ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** Skips hidden files such as .DS_Store; everything else goes to the decoder, which names what it refuses. */
export function visibleFiles(files: DroppedFile[]): DroppedFile[] {
  return files.filter((f) => !f.path.split('/').some((p) => p.startsWith('.')));
}
