/**
 * Messages between the explore panel and the index worker (an embedding index made by `cli embed`,
 * read from Parquet in the worker). Plain data only.
 */
import type { ClassPrompts, ProbeResult } from './explore-protocol';
import type { ProbeJob } from './embedding-jobs';

export interface IndexSummary {
  rows: number;
  dim: number;
  parts: number;
  models: string[];
  dtypes: string[];
  seconds: number;
  /** the `label` column's values (folder names) with their row counts, sorted by name; unlabelled rows left out */
  labels: { name: string; rows: number }[];
  /** where it was read from: dropped files, or the URL given */
  from: 'files' | 'url';
}

export interface IndexHit {
  /** row in the index */
  row: number;
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
  /**
   * Fetches the index from a URL: a .parquet file, a `_manifest.json` written by `cli embed`, or the folder
   * that holds one; the same checks as `open`.
   */
  openUrl(url: string, loaded: { label: string; dim: number }): Promise<IndexSummary>;
  search(query: string, k: number): Promise<IndexSearch>;
  /** near-duplicate groups (paths), every pair compared exactly (refused above DUPLICATES_MAX_ROWS) */
  duplicates(threshold: number): Promise<{ groups: string[][]; ms: number }>;
  /** the 2-D map of a sample of rows (plus `include`, e.g. the search hits) and of the class prompts */
  map(req: IndexMapRequest): Promise<IndexMap>;
  /** the linear probe on the rows whose `label` is one of `classes` */
  probe(req: ProbeJob): Promise<ProbeResult>;
  /** what the hardness panel scores: every row's embedding, label, and cosine to each class's text embedding */
  hardnessData(prompts: ClassPrompts): Promise<IndexHardnessData>;
}

/** Near-duplicates compare every pair (n²/2 dot products, about 1 s for 5,000 rows here). */
export const DUPLICATES_MAX_ROWS = 20_000;
/** Rows drawn on the map: a UMAP/PCA of more is neither fast nor readable; search stays exact over every row. */
export const MAP_SAMPLE_ROWS = 2_000;

export interface IndexMapRequest extends ClassPrompts {
  method: 'auto' | 'pca' | 'umap';
  /** rows always drawn (e.g. the current search hits) */
  include: number[];
  seed: number;
}

export interface IndexMap {
  method: 'pca' | 'umap';
  /** rows drawn, with their path and label */
  rows: number[];
  paths: string[];
  labels: (string | null)[];
  /** x, y per drawn row */
  points: number[];
  /** x, y per class prompt */
  prompts: number[];
  /** rows in the index (the map shows rows.length of them) */
  total: number;
}

export interface IndexHardnessData {
  paths: string[];
  labels: (string | null)[];
  dim: number;
  /** [rows, dim] normalised embeddings, as stored */
  features: Float32Array;
  /** [rows, classes] cosine of each row to each class's prompt embedding */
  cosines: Float64Array;
}
