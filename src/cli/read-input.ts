/**
 * Reading a file the user named, safely (issue 21): `stat` first (following links), and only a
 * regular file is opened: a FIFO would block the read forever, /dev/zero (or a link to it) would
 * grow a buffer until memory runs out, a folder gives a raw EISDIR. The size is capped before
 * reading, and the open file is checked again (fstat) so a path swapped in between cannot slip by.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { MAX_INPUT_BYTES } from '../data/dimensions';

export { MAX_INPUT_BYTES };

/** A file that is not one we read; `reason` is for the user, `code` mirrors Node's where one fits. */
export class InputFileError extends Error {
  constructor(
    public readonly path: string,
    public readonly reason: string,
    public readonly code?: string,
  ) {
    super(reason);
    this.name = 'InputFileError';
  }
}

export interface ReadLimits {
  /** refuse files larger than this many bytes (default MAX_INPUT_BYTES, 256 MB) */
  maxBytes?: number;
  /** what a folder is not, for the message: "an image" (default), "a JSON file", ... */
  expected?: string;
}

function kind(s: Stats): string {
  if (s.isFIFO()) return 'FIFO';
  if (s.isCharacterDevice()) return 'character device';
  if (s.isBlockDevice()) return 'block device';
  if (s.isSocket()) return 'socket';
  return 'special file';
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** Why this stat result is not readable under `limits`, or '' when it is. */
function problem(s: Stats, limits: ReadLimits): { reason: string; code?: string } | null {
  if (s.isDirectory()) return { reason: `is a folder, not ${limits.expected ?? 'an image'}`, code: 'EISDIR' };
  if (!s.isFile()) return { reason: `not a regular file (${kind(s)})`, code: 'ENOTREG' };
  const max = limits.maxBytes ?? MAX_INPUT_BYTES;
  if (s.size > max) return { reason: `file too large: ${mb(s.size)}, over the ${mb(max)} limit for one input`, code: 'EFBIG' };
  return null;
}

function statError(path: string, e: unknown): InputFileError {
  const code = (e as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'ELOOP'
          ? 'symbolic link loop'
          : code === 'ENOTDIR'
            ? 'file not found (a part of the path is not a folder)'
            : `cannot be read (${code ?? (e as Error).message})`;
  return new InputFileError(path, reason, code);
}

/** Reads a regular file whole, or throws InputFileError with the reason. Never blocks on a FIFO. */
export async function readRegularFile(path: string, limits: ReadLimits = {}): Promise<Uint8Array> {
  let s: Stats;
  try {
    s = await stat(path);
  } catch (e) {
    throw statError(path, e);
  }
  const bad = problem(s, limits);
  if (bad) throw new InputFileError(path, bad.reason, bad.code);
  let fh;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the stat, open must not wait for a writer.
    fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw statError(path, e);
  }
  try {
    const s2 = await fh.stat();
    const bad2 = problem(s2, limits);
    if (bad2) throw new InputFileError(path, bad2.reason, bad2.code);
    const max = limits.maxBytes ?? MAX_INPUT_BYTES;
    const buf = new Uint8Array(s2.size);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got > max) throw new InputFileError(path, `file too large: over the ${mb(max)} limit for one input`, 'EFBIG');
    return got === buf.length ? buf : buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** readRegularFile for synchronous callers (small config files). */
export function readRegularFileSync(path: string, limits: ReadLimits = {}): Uint8Array {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    throw statError(path, e);
  }
  const bad = problem(s, limits);
  if (bad) throw new InputFileError(path, bad.reason, bad.code);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw statError(path, e);
  }
  try {
    const s2 = fstatSync(fd);
    const bad2 = problem(s2, limits);
    if (bad2) throw new InputFileError(path, bad2.reason, bad2.code);
    const buf = new Uint8Array(s2.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Checks a path without reading it: '' when it is a readable regular file (or folder, if allowed). */
export function regularPathProblem(path: string, opts: { allowFolder?: boolean; expected?: string } = {}): string {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    return statError(path, e).reason;
  }
  if (s.isDirectory() && opts.allowFolder) return '';
  return problem(s, { expected: opts.expected, maxBytes: Number.MAX_SAFE_INTEGER })?.reason ?? '';
}
