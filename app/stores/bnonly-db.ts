/**
 * IndexedDB ("lab-bnonly") for BatchNorm-only experiments: records (config + metrics), checkpoints (trainable
 * weights, optimiser and data-stream state) and dropped dataset archives. Used by both the page and the worker:
 * the worker writes while a run trains, the page lists, renames status after a reload, and deletes.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Checkpoint, ExperimentRecord } from '../workers/bnonly-protocol';

interface BnonlySchema extends DBSchema {
  experiments: { key: string; value: ExperimentRecord };
  checkpoints: { key: string; value: Checkpoint };
  blobs: { key: string; value: Blob };
}

let db: Promise<IDBPDatabase<BnonlySchema>> | null = null;

function open(): Promise<IDBPDatabase<BnonlySchema>> {
  db ??= openDB<BnonlySchema>('lab-bnonly', 1, {
    upgrade(d) {
      d.createObjectStore('experiments', { keyPath: 'id' });
      d.createObjectStore('checkpoints', { keyPath: 'id' });
      d.createObjectStore('blobs');
    },
  });
  return db;
}

export async function listExperiments(): Promise<ExperimentRecord[]> {
  const all = await (await open()).getAll('experiments');
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export async function getExperiment(id: string): Promise<ExperimentRecord | undefined> {
  return (await open()).get('experiments', id);
}

export async function putExperiment(r: ExperimentRecord): Promise<void> {
  await (await open()).put('experiments', r);
}

export async function getCheckpoint(id: string): Promise<Checkpoint | undefined> {
  return (await open()).get('checkpoints', id);
}

export async function putCheckpoint(c: Checkpoint): Promise<void> {
  await (await open()).put('checkpoints', c);
}

/**
 * A checkpoint and the record that names its step, in one transaction: a reload between two separate writes
 * left the record saying "checkpoint at step 5" while the stored checkpoint (the one resumed) was step 6.
 */
export async function putCheckpointAndRecord(c: Checkpoint, r: ExperimentRecord): Promise<void> {
  const tx = (await open()).transaction(['checkpoints', 'experiments'], 'readwrite');
  await Promise.all([tx.objectStore('checkpoints').put(c), tx.objectStore('experiments').put(r), tx.done]);
}

export async function putBlob(key: string, blob: Blob): Promise<void> {
  await (await open()).put('blobs', blob, key);
}

export async function getBlob(key: string): Promise<Blob | undefined> {
  return (await open()).get('blobs', key);
}

/** Deletes an experiment, its checkpoint, and its dropped archive when no other experiment uses it. */
export async function deleteExperiment(id: string): Promise<void> {
  const d = await open();
  const rec = await d.get('experiments', id);
  await d.delete('experiments', id);
  await d.delete('checkpoints', id);
  const src = rec?.config.source;
  if (src?.kind === 'file') {
    const others = (await d.getAll('experiments')).some((e) => e.config.source.kind === 'file' && e.config.source.blobKey === src.blobKey);
    if (!others) await d.delete('blobs', src.blobKey);
  }
}
