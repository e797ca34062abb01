/**
 * Everything the hardness views show, derived from (analysis, dataset, user overrides): per-image
 * AVH for the label in force, the easy-to-hard ranking, per-class histograms, rank correlations,
 * suspected label errors and the exports. Pure functions.
 */
import { avhFromAngles } from '../../../src/hardness/avh';
import { scoresFromProbabilities } from '../../../src/hardness/scores';
import { easyToHard, hardestPerClass, spearman } from '../../../src/hardness/rank';
import { perClassHistograms, type ClassHistograms } from '../../../src/hardness/histogram';
import { suspectedLabelErrors, type SuspectedLabelError } from '../../../src/hardness/label-errors';
import type { Analysis } from '../../workers/hardness-protocol';
import type { Dataset, DataItem } from './dataset';

export type LabelSource = 'folder' | 'relabelled' | 'predicted';

export interface HardRow {
  data: DataItem;
  path: string;
  /** class index AVH is measured against */
  label: number;
  labelSource: LabelSource;
  /** folder label index, -1 when none */
  originalLabel: number;
  predicted: number;
  confidence: number;
  entropy: number;
  margin: number;
  avh: number;
  probs: Float64Array;
  excluded: boolean;
}

export interface Overrides {
  /** path -> class name */
  relabel: Record<string, string>;
  /** path -> true */
  excluded: Record<string, boolean>;
}

export interface Derived {
  rows: HardRow[];
  /** included rows, easiest first */
  ranking: HardRow[];
  histograms: ClassHistograms;
  /** per class, hardest first (at most 4) */
  hardest: HardRow[][];
  correlations: { confidence: number; entropy: number; margin: number };
  suspects: (SuspectedLabelError & { row: HardRow })[];
  excluded: HardRow[];
}

export function deriveRows(analysis: Analysis, data: Dataset, o: Overrides): HardRow[] {
  const C = analysis.classCount;
  const byId = new Map(data.items.map((d) => [d.item.id, d]));
  const classIndex = new Map(data.classes.map((c, i) => [c, i]));
  const rows: HardRow[] = [];
  analysis.ids.forEach((id, r) => {
    const d = byId.get(id);
    if (!d) return;
    const angles = Array.from(analysis.angles.subarray(r * C, (r + 1) * C));
    const probs = analysis.probs.subarray(r * C, (r + 1) * C);
    const s = scoresFromProbabilities(probs);
    const path = d.item.path;
    const re = o.relabel[path];
    const reIndex = re !== undefined ? classIndex.get(re) : undefined;
    const label = reIndex ?? (d.label >= 0 ? d.label : s.predicted);
    const labelSource: LabelSource = reIndex !== undefined ? 'relabelled' : d.label >= 0 ? 'folder' : 'predicted';
    rows.push({
      data: d,
      path,
      label,
      labelSource,
      originalLabel: d.label,
      predicted: s.predicted,
      confidence: s.confidence,
      entropy: s.entropy,
      margin: s.margin,
      avh: avhFromAngles(angles, label),
      probs,
      excluded: o.excluded[path] === true,
    });
  });
  return rows;
}

export function derive(analysis: Analysis, data: Dataset, o: Overrides, thresholds: { minAvh: number; minConfidence: number }): Derived {
  const rows = deriveRows(analysis, data, o);
  const included = rows.filter((r) => !r.excluded);
  const avh = included.map((r) => r.avh);
  const labels = included.map((r) => r.label);
  const C = analysis.classCount;
  const finite = avh.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const ranking = easyToHard(avh).map((i) => included[i]);
  const labelled = included.filter((r) => r.labelSource !== 'predicted');
  const suspects = suspectedLabelErrors(
    labelled.map((r) => r.avh),
    labelled.map((r) => r.probs),
    labelled.map((r) => r.label),
    thresholds,
  ).map((s) => ({ ...s, row: labelled[s.index] }));
  return {
    rows,
    ranking,
    histograms: perClassHistograms(avh, labels, C, 16, [lo, hi > lo ? hi : lo + 1e-6]),
    hardest: hardestPerClass(avh, labels, C, 4).map((list) => list.map((i) => included[i])),
    correlations: {
      confidence: spearman(avh, included.map((r) => r.confidence)),
      entropy: spearman(avh, included.map((r) => r.entropy)),
      margin: spearman(avh, included.map((r) => r.margin)),
    },
    suspects,
    excluded: rows.filter((r) => r.excluded),
  };
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The cleaned list: every image not excluded, with the label in force (after relabelling). */
export function cleanedCsv(d: Derived, classes: string[]): string {
  const head = ['path', 'label', 'original_label', 'status', 'avh', 'confidence', 'entropy', 'margin', 'predicted'];
  const lines = d.ranking.map((r) =>
    [r.path, classes[r.label], r.originalLabel >= 0 ? classes[r.originalLabel] : '', r.labelSource, r.avh, r.confidence, r.entropy, r.margin, classes[r.predicted]].map(csvCell).join(','),
  );
  return [head.join(','), ...lines].join('\n') + '\n';
}

export function cleanedJson(d: Derived, classes: string[], source: string): string {
  return JSON.stringify(
    {
      classes,
      classVectors: source,
      images: d.ranking.map((r) => ({
        path: r.path,
        label: classes[r.label],
        originalLabel: r.originalLabel >= 0 ? classes[r.originalLabel] : null,
        status: r.labelSource,
        avh: r.avh,
        confidence: r.confidence,
        entropy: r.entropy,
        margin: r.margin,
        predicted: classes[r.predicted],
      })),
      excluded: d.excluded.map((r) => r.path),
    },
    null,
    1,
  );
}

/**
 * Easy-to-hard order for curriculum training. For a BatchNorm run's images it carries the dataset, the split and
 * each image's dataset `index`: the BatchNorm panel (and `bnonly --order`) train in that order.
 */
export function curriculumJson(d: Derived, classes: string[], source: string, origin?: Dataset['origin']): string {
  return JSON.stringify(
    {
      format: 'clip-lab/curriculum',
      order: 'easy-to-hard',
      score: 'avh',
      classVectors: source,
      ...(origin ? { dataset: origin.dataset, split: origin.split } : {}),
      classes,
      images: d.ranking.map((r) => ({ path: r.path, ...(r.data.index !== undefined ? { index: r.data.index } : {}), label: classes[r.label], avh: r.avh })),
    },
    null,
    1,
  );
}

/** Dataset indices of the included images, easiest first (images without an index are left out). */
export function curriculumIndices(d: Derived): number[] {
  return d.ranking.flatMap((r) => (r.data.index !== undefined ? [r.data.index] : []));
}
