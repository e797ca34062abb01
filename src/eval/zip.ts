/**
 * A zipped class/image tree as folder files (fflate). The whole zip is read into memory, so this
 * suits zips up to a few GB of browser memory; for a full ImageNet val zip, unzip it and use the CLI.
 */
import { unzipSync } from 'fflate';
import { DatasetFormatError } from '../data/idx';
import type { FolderFile } from './folder';

export function zipFolderFiles(bytes: Uint8Array, file: string): FolderFile[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new DatasetFormatError(file, `not a readable zip archive (${(e as Error).message})`);
  }
  return Object.entries(entries)
    .filter(([path]) => !path.endsWith('/') && !path.startsWith('__MACOSX/') && !/(^|\/)\./.test(path))
    .map(([path, data]) => ({ path, read: async () => data }));
}
