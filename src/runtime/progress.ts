/**
 * Turns transformers.js's per-file download events into one snapshot: bytes of total per file and
 * overall. (Its own `progress_total` is per `from_pretrained` call; a CLIP load makes four.)
 */
export interface FileProgress {
  file: string;
  loaded: number;
  /** 0 until the size is known */
  total: number;
  done: boolean;
}

export interface LoadSnapshot {
  files: FileProgress[];
  loaded: number;
  total: number;
  /** all files seen so far are done */
  done: boolean;
}

interface RawEvent {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

export class ProgressTracker {
  private files = new Map<string, FileProgress>();

  /** Feeds one event; returns true when the snapshot changed. */
  update(e: RawEvent): boolean {
    if (!e.file) return false;
    const f = this.files.get(e.file) ?? { file: e.file, loaded: 0, total: 0, done: false };
    this.files.set(e.file, f);
    if (e.status === 'progress') {
      if (typeof e.total === 'number' && e.total > 0) f.total = e.total;
      if (typeof e.loaded === 'number') f.loaded = Math.max(f.loaded, e.loaded);
    } else if (e.status === 'done') {
      f.done = true;
      if (f.total === 0) f.total = f.loaded;
      f.loaded = f.total;
    }
    return true;
  }

  snapshot(): LoadSnapshot {
    const files = [...this.files.values()].map((f) => ({ ...f })).sort((a, b) => a.file.localeCompare(b.file));
    let loaded = 0;
    let total = 0;
    for (const f of files) {
      loaded += f.loaded;
      total += f.total;
    }
    return { files, loaded, total, done: files.length > 0 && files.every((f) => f.done) };
  }
}
