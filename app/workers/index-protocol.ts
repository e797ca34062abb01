/**
 * Messages between the explore panel and the index worker (an embedding index made by `cli embed`,
 * read from Parquet in the worker). Plain data only.
 */

export interface IndexSummary {
  rows: number;
  dim: number;
  parts: number;
  models: string[];
  dtypes: string[];
  seconds: number;
}

export interface IndexHit {
  path: string;
  label: string | null;
  score: number;
}

export interface IndexSearch {
  hits: IndexHit[];
  /** milliseconds for the exact ranking over every row */
  rankMs: number;
  /** milliseconds to embed the query (0 when cached) */
  textMs: number;
}

export interface IndexWorkerApi {
  /** a MessagePort onto the CLIP worker's API (see clipPort in clip-client.ts) */
  attachClip(port: MessagePort): void;
  /** Reads the part files one at a time; refuses (throws the reason) an index of another model or dimension. */
  open(files: { name: string; file: Blob }[], loaded: { label: string; dim: number }): Promise<IndexSummary>;
  search(query: string, k: number): Promise<IndexSearch>;
}
