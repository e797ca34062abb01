/**
 * Image embeddings kept in IndexedDB per (model, dtype, SHA-256 of the file's bytes), so a new
 * class list re-scores a big image set without running the vision model again.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { isQuotaError } from './storage-full';

const DB = 'lab-embeddings';
const STORE = 'image';
/** small JPEG thumbnails per content hash, so restored results still show their pictures */
const THUMBS = 'thumb';

export interface EmbeddingKey {
  model: string;
  dtype: string;
  hash: string;
}

function keyOf(k: EmbeddingKey): string {
  return `${k.model}|${k.dtype}|${k.hash}`;
}

export class EmbeddingCache {
  private db: Promise<IDBPDatabase> | null = null;

  private open(): Promise<IDBPDatabase> {
    this.db ??= openDB(DB, 1, {
      upgrade(db) {
        db.createObjectStore(STORE);
        db.createObjectStore(THUMBS);
      },
    });
    return this.db;
  }

  /** Missing entries come back as undefined; a broken database means "not cached", never an error. */
  async getMany(keys: EmbeddingKey[]): Promise<(Float32Array | undefined)[]> {
    try {
      const db = await this.open();
      const tx = db.transaction(STORE, 'readonly');
      const out = await Promise.all(keys.map((k) => tx.store.get(keyOf(k)) as Promise<Float32Array | undefined>));
      await tx.done;
      return out.map((v) => (v instanceof Float32Array ? v : undefined));
    } catch {
      return keys.map(() => undefined);
    }
  }

  /**
   * Best effort: a full quota only costs recomputation later, but the caller is told ('full') so
   * the user can be.
   */
  async putMany(entries: { key: EmbeddingKey; value: Float32Array }[]): Promise<'ok' | 'full' | 'failed'> {
    try {
      const db = await this.open();
      const tx = db.transaction(STORE, 'readwrite');
      await Promise.all(entries.map((e) => tx.store.put(e.value, keyOf(e.key))));
      await tx.done;
      return 'ok';
    } catch (e) {
      console.warn('embedding cache: could not store', e);
      return isQuotaError(e) ? 'full' : 'failed';
    }
  }

  async getThumb(hash: string): Promise<Blob | undefined> {
    try {
      const v = await (await this.open()).get(THUMBS, hash);
      return v instanceof Blob ? v : undefined;
    } catch {
      return undefined;
    }
  }

  async putThumb(hash: string, thumb: Blob): Promise<'ok' | 'full' | 'failed'> {
    try {
      await (await this.open()).put(THUMBS, thumb, hash);
      return 'ok';
    } catch (e) {
      return isQuotaError(e) ? 'full' : 'failed'; // best effort
    }
  }

  async count(): Promise<number> {
    try {
      return await (await this.open()).count(STORE);
    } catch {
      return 0;
    }
  }

  async clear(): Promise<void> {
    const db = await this.open();
    await db.clear(STORE);
    await db.clear(THUMBS);
  }
}
