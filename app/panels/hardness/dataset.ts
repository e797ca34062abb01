/**
 * Read-only view of the CLIP panel's stores for the hardness panel: the classified images, their
 * zero-shot logits and probabilities, and their folder labels matched to the run's classes
 * (case-insensitive, as the CLIP panel's accuracy does). Nothing here writes to those stores.
 */
import type { ImageItem } from '../../stores/images';
import type { ResultSet } from '../../stores/classify';
import { CLIP_SCORING } from '../../../src/models/clip/scoring';
import type { Scoring } from '../../../src/models/scoring';

export interface DataItem {
  item: ImageItem;
  hash?: string;
  logits: number[];
  probs: number[];
  /** folder label as a class index, or -1 when it has none or it is not one of the classes */
  label: number;
  /** index in its dataset (BatchNorm-panel images): human-score .npy rows and curriculum orders use it */
  index?: number;
}

/** Embeddings and class vectors that come with the data (a network's penultimate features and last layer). */
export type { DatasetVectors } from '../../workers/hardness-protocol';
import type { DatasetVectors } from '../../workers/hardness-protocol';

export interface Dataset {
  key: string;
  classes: string[];
  model: string;
  dtype: string;
  /** how the zero-shot logits were made (family scoring) */
  scoring: Scoring;
  items: DataItem[];
  labelled: number;
  /** set for a network's data (BatchNorm panel): AVH against its last layer, and probes on its features */
  vectors?: DatasetVectors;
  /** where the data comes from, for curriculum exports: dataset name and split of a BatchNorm run */
  origin?: { dataset: string; split: 'train' | 'test'; run: string };
}

export function buildDataset(items: readonly ImageItem[], results: ResultSet | null): Dataset | null {
  if (!results || results.classes.length < 2) return null;
  const classIndex = new Map(results.classes.map((c, i) => [c.toLowerCase(), i]));
  const out: DataItem[] = [];
  for (const item of items) {
    const r = results.byId[item.id];
    if (!r || !r.ok) continue;
    const label = item.label !== undefined ? (classIndex.get(item.label.toLowerCase()) ?? -1) : -1;
    out.push({ item, hash: r.hash ?? item.hash, logits: r.logits, probs: r.probs, label });
  }
  if (!out.length) return null;
  return {
    key: `${results.model}|${results.dtype}|${results.finishedAt}|${results.classes.join('\u0001')}|${out.length}`,
    classes: results.classes,
    model: results.model,
    dtype: results.dtype,
    scoring: results.scoring ?? CLIP_SCORING,
    items: out,
    labelled: out.filter((d) => d.label >= 0).length,
  };
}
