/**
 * Messages between the Explore panel and its worker (called through Comlink). Plain data only.
 * The worker holds the embeddings of the loaded images; the page refers to images by id.
 */
import type { WebDevice, WebDtype } from '../../src/runtime/backend';
import type { HeadJson } from '../../src/math/linear-probe';
import type { ShiftName } from '../../src/clip/shifts';
import type { Shots } from '../../src/math/probe-splits';

/** The model the CLIP worker has loaded (embeddings come from it; this names them). */
export interface ExploreModel {
  label: string;
  device: WebDevice;
  dtype: WebDtype;
}

export interface ExploreItem {
  id: string;
  name: string;
  file?: Blob;
  hash?: string;
}

export interface Progress {
  stage: 'model' | 'embed' | 'text' | 'shift';
  done: number;
  total: number;
  detail?: string;
}

export interface EmbedSummary {
  /** ids with an embedding, in index order */
  ids: string[];
  errors: { id: string; error: string }[];
  dim: number;
  /** embeddings computed now (the rest came from the cache) */
  computed: number;
  seconds: number;
  simd: boolean;
}

export interface Hit {
  id: string;
  score: number;
}

export interface SearchResult {
  hits: Hit[];
  /** milliseconds for the ranking alone (cosine + top-k over every image) */
  rankMs: number;
  /** milliseconds to embed the query (0 when cached) */
  textMs: number;
}

/** Class prompts for zero-shot: names and the CLIP panel's templates. */
export interface ClassPrompts {
  classes: string[];
  templates: string[];
}

export interface ProbeRequest extends ClassPrompts {
  /** per id: index into classes, or -1 for unlabelled (left out) */
  labels: Record<string, number>;
  heldOutFraction: number;
  seed: number;
  l2: number;
}

export interface ProbePoint {
  shots: Shots;
  trainCount: number;
  accuracy: number;
}

export interface ProbeResult {
  curve: ProbePoint[];
  /** zero-shot accuracy on the same held-out images */
  zeroShot: number;
  trainCount: number;
  heldOutCount: number;
  /** the head trained on every training image ("all" shots) */
  head: HeadJson;
  seconds: number;
}

export interface Predictions {
  /** per id: predicted class index */
  byId: Record<string, number>;
  classes: string[];
}

export interface ShiftRequest extends ClassPrompts {
  shifts: ShiftName[];
  severities: number[];
  labels: Record<string, number>;
  head: HeadJson | null;
  seed: number;
  items: ExploreItem[];
}

export type Method = 'zeroshot' | 'probe';

/** Predictions per method, shift and severity (0 = the clean image), per id. */
export interface ShiftResult {
  shifts: ShiftName[];
  severities: number[];
  methods: Method[];
  /** accuracy[method][shift][severity index incl. 0 at position 0]; NaN without labelled images */
  accuracy: Record<Method, Record<string, number[]>>;
  /** predicted class per id, [method][shift][severity index] */
  predictions: Record<Method, Record<string, Record<string, number[]>>>;
  errors: { id: string; error: string }[];
  labelledCount: number;
  seconds: number;
  cancelled: boolean;
}

export interface MapRequest extends ClassPrompts {
  method: 'auto' | 'pca' | 'umap';
}

export interface MapResult {
  method: 'pca' | 'umap';
  /** x, y per image (index order of EmbedSummary.ids) */
  points: number[];
  /** x, y per class prompt */
  prompts: number[];
}

export interface ExploreWorkerApi {
  /** a MessagePort onto the CLIP worker's API (see clipPort in clip-client.ts) */
  attachClip(port: MessagePort): void;
  embed(model: ExploreModel, items: ExploreItem[], onProgress: (p: Progress) => void): Promise<EmbedSummary>;
  search(query: string, k: number): Promise<SearchResult>;
  moreLikeThis(id: string, k: number): Promise<SearchResult>;
  duplicates(threshold: number): Promise<{ groups: string[][]; ms: number }>;
  zeroShot(prompts: ClassPrompts): Promise<Predictions>;
  probe(req: ProbeRequest): Promise<ProbeResult>;
  applyHead(head: HeadJson): Promise<Predictions>;
  shiftLab(req: ShiftRequest, onProgress: (p: Progress) => void): Promise<ShiftResult>;
  cancelShift(): void;
  map(req: MapRequest): Promise<MapResult>;
}
