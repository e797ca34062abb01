/**
 * Inputs of `cli embed`: image files, folders (read recursively, image extensions only) and list
 * files (`.txt`, `.lst`, `.list`: one path or http(s) URL per line, `#` comments, paths relative to
 * the current folder). Everything is returned as one flat list; the caller sorts and shards it.
 */
import { readFile, stat } from 'node:fs/promises';
import { listImageFiles } from '../data/files';
import { readRegularFile } from './read-input';
import { MAX_INPUT_BYTES } from '../data/dimensions';

const LIST_FILE = /\.(txt|lst|list)$/i;
const URL_RE = /^https?:\/\//i;

export function isUrl(input: string): boolean {
  return URL_RE.test(input);
}

export interface ExpandedInputs {
  paths: string[];
  /** inputs that could not be expanded (an unreadable list file or folder), with the reason */
  errors: { path: string; error: string }[];
}

export async function expandEmbedInputs(inputs: readonly string[]): Promise<ExpandedInputs> {
  const paths: string[] = [];
  const errors: ExpandedInputs['errors'] = [];
  for (const input of inputs) {
    if (isUrl(input)) {
      paths.push(input);
      continue;
    }
    const s = await stat(input).catch(() => null);
    if (s?.isDirectory()) {
      const found = await listImageFiles([input]).catch((e: Error) => e);
      if (found instanceof Error) errors.push({ path: input, error: `folder cannot be read (${found.message})` });
      else if (!found.length) errors.push({ path: input, error: 'no image files (png, jpg, jpeg, webp, gif, bmp, avif) in this folder' });
      else paths.push(...found);
    } else if (s?.isFile() && LIST_FILE.test(input)) {
      const text = await readFile(input, 'utf8').catch((e: Error) => e);
      if (text instanceof Error) errors.push({ path: input, error: `list file cannot be read (${text.message})` });
      else paths.push(...text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    } else paths.push(input); // a missing path stays: it becomes its own error entry
  }
  return { paths, errors };
}

/** The folder a file sits in: its label, as in the lab (null for a bare name or a URL). */
export function labelOf(path: string): string | null {
  if (isUrl(path)) return null;
  const parts = path.split(/[/\\]+/).filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 2] : null;
}

/** Bytes of a local file (regular files only, size-capped) or a URL (status checked, size-capped). */
export async function readInput(path: string): Promise<Uint8Array> {
  if (!isUrl(path)) return readRegularFile(path);
  const res = await fetch(path, { signal: AbortSignal.timeout(60_000) }).catch((e: Error) => {
    throw new Error(`download failed (${e.message})`);
  });
  if (!res.ok) throw new Error(`download failed (HTTP ${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_INPUT_BYTES) throw new Error(`file too large: over the ${Math.round(MAX_INPUT_BYTES / 1048576)} MB limit for one input`);
  return bytes;
}
