/**
 * Node: expand CLI inputs into image files. Files given directly come first, in the order given
 * (whatever their extension, so a mislabelled file still gets a per-file error); folders are read
 * recursively and contribute their image files (by extension) in sorted path order.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'avif'] as const;

export function hasImageExtension(path: string): boolean {
  const m = /\.([^./\\]+)$/.exec(path);
  return !!m && (IMAGE_EXTENSIONS as readonly string[]).includes(m[1].toLowerCase());
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    // Anything else with an image name is listed, FIFOs, devices and links included: the reader
    // refuses what is not a regular file with a reason, so nothing is skipped silently.
    else if (hasImageExtension(e.name)) out.push(p);
  }
}

/**
 * A path that does not exist is kept in the list (as a file), so the caller reports it as one
 * per-file error and the other inputs still go on (issue 9).
 */
export async function listImageFiles(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  const fromDirs: string[] = [];
  for (const input of inputs) {
    const s = await stat(input).catch(() => null);
    if (s?.isDirectory()) {
      const found: string[] = [];
      await walk(input, found);
      fromDirs.push(...found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    } else {
      files.push(input);
    }
  }
  return [...files, ...fromDirs];
}
