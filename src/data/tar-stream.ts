/**
 * A streaming `.tar.gz` reader for dataset archives: gunzip and tar parsing run chunk by chunk
 * (fflate), and only the entries the caller wants are held in memory (STL-10's 2.6 GB
 * `unlabeled_X.bin` passes through without being kept). Errors name the archive and the reason.
 */
import { Gunzip } from 'fflate';
import { DatasetFormatError } from './idx';

/** Per entry: keep it (true), skip it (false), or refuse the archive (a reason). */
export type WantEntry = (name: string, size: number) => boolean | string;

export class TarGzReader {
  private gunzip: Gunzip;
  private buf = new Uint8Array(0);
  private entry: { name: string; size: number; got: number; data: Uint8Array | null; padded: number } | null = null;
  private ended = false;
  private sawHeader = false;
  private error: Error | null = null;
  /** bytes of compressed input seen so far (for progress) */
  consumed = 0;

  constructor(
    private readonly file: string,
    private readonly want: WantEntry,
    private readonly onEntry: (name: string, data: Uint8Array) => void,
  ) {
    this.gunzip = new Gunzip((chunk) => {
      try {
        this.onData(chunk);
      } catch (e) {
        this.error ??= e as Error;
      }
    });
  }

  push(chunk: Uint8Array, final = false): void {
    if (this.error) throw this.error;
    this.consumed += chunk.length;
    try {
      this.gunzip.push(chunk, final);
    } catch (e) {
      throw this.error ?? new DatasetFormatError(this.file, `not a valid gzip stream (${(e as Error).message})`);
    }
    if (this.error) throw this.error;
  }

  /** Checks the archive ended properly. */
  finish(): void {
    if (this.error) throw this.error;
    if (this.entry) throw new DatasetFormatError(this.file, `archive is truncated inside ${this.entry.name}`);
    if (!this.sawHeader) throw new DatasetFormatError(this.file, 'not a tar archive (no tar header found)');
    if (!this.ended) throw new DatasetFormatError(this.file, 'archive is truncated (no end-of-archive marker)');
  }

  private onData(chunk: Uint8Array): void {
    let c = chunk;
    while (c.length > 0 && !this.ended) {
      if (this.entry) {
        const e = this.entry;
        const take = Math.min(c.length, e.padded - e.got);
        if (e.data) {
          const usable = Math.max(0, Math.min(take, e.size - e.got));
          e.data.set(c.subarray(0, usable), e.got);
        }
        e.got += take;
        c = c.subarray(take);
        if (e.got === e.padded) {
          this.entry = null;
          if (e.data) this.onEntry(e.name, e.data);
        }
        continue;
      }
      const need = 512 - this.buf.length;
      const part = c.subarray(0, need);
      const merged = new Uint8Array(this.buf.length + part.length);
      merged.set(this.buf);
      merged.set(part, this.buf.length);
      this.buf = merged;
      c = c.subarray(part.length);
      if (this.buf.length < 512) return;
      const header = this.buf;
      this.buf = new Uint8Array(0);
      this.readHeader(header);
    }
  }

  private readHeader(h: Uint8Array): void {
    if (h.every((v) => v === 0)) {
      this.ended = true;
      return;
    }
    const str = (a: number, b: number) => new TextDecoder().decode(h.subarray(a, b)).replace(/\0.*$/s, '');
    const stored = parseInt(str(148, 156).trim(), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (!Number.isFinite(stored) || stored !== sum) throw new DatasetFormatError(this.file, 'not a tar archive (header checksum mismatch)');
    this.sawHeader = true;
    const prefix = str(345, 500);
    const name = (prefix ? `${prefix}/` : '') + str(0, 100);
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const padded = Math.ceil(size / 512) * 512;
    const regular = type === '0' || type === '\0';
    const verdict = regular ? this.want(name, size) : false;
    if (typeof verdict === 'string') throw new DatasetFormatError(this.file, verdict);
    if (padded > 0) this.entry = { name, size, got: 0, data: verdict ? new Uint8Array(size) : null, padded };
    else if (verdict) this.onEntry(name, new Uint8Array(0));
  }
}

/** Feeds a whole in-memory archive through a reader, 1 MiB at a time. */
export function pushAll(reader: { push(c: Uint8Array, final?: boolean): void }, bytes: Uint8Array, file: string): void {
  if (bytes.length === 0) throw new DatasetFormatError(file, 'empty file');
  const step = 1 << 20;
  for (let o = 0; o < bytes.length; o += step) reader.push(bytes.subarray(o, o + step), o + step >= bytes.length);
}
