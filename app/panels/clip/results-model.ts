/**
 * Everything the results view shows, derived from (images, results): rows with top-k, counts per
 * class, accuracy and confusion against folder labels, duplicates by content hash. Pure functions.
 */
import type { ImageItem } from '../../stores/images';
import type { ResultSet } from '../../stores/classify';
import type { ItemResult } from '../../../src/runtime/clip-protocol';

export interface Row {
  item: ImageItem;
  result?: ItemResult;
  /** index of the best class */
  predicted?: number;
  confidence?: number;
  /** index of the class matching the folder label, when there is one */
  labelIndex?: number;
  correct?: boolean;
  /** path of an earlier image with the same bytes */
  duplicateOf?: string;
}

export interface Summary {
  rows: Row[];
  classified: number;
  errors: number;
  counts: number[];
  /** present when at least one image's label matches a class */
  accuracy?: { correct: number; n: number };
  /** labels present (rows) x classes (cols) */
  confusion?: { labels: string[]; matrix: number[][] };
}

function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

export function summarize(items: readonly ImageItem[], results: ResultSet | null): Summary {
  const classes = results?.classes ?? [];
  const classIndex = new Map(classes.map((c, i) => [c.toLowerCase(), i]));
  const counts = classes.map(() => 0);
  const firstByHash = new Map<string, string>();
  let classified = 0;
  let errors = 0;
  let correct = 0;
  let labelled = 0;
  const labelsSeen = new Map<string, number[]>();
  const rows: Row[] = items.map((item) => {
    const result = results?.byId[item.id];
    const row: Row = { item, result };
    const hash = result?.hash ?? item.hash;
    if (hash) {
      const first = firstByHash.get(hash);
      if (first !== undefined) row.duplicateOf = first;
      else firstByHash.set(hash, item.path);
    }
    if (!result) return row;
    if (!result.ok) {
      errors++;
      return row;
    }
    classified++;
    row.predicted = argmax(result.probs);
    row.confidence = result.probs[row.predicted];
    counts[row.predicted]++;
    if (item.label !== undefined) {
      const li = classIndex.get(item.label.toLowerCase());
      const confRow = labelsSeen.get(item.label) ?? classes.map(() => 0);
      labelsSeen.set(item.label, confRow);
      confRow[row.predicted]++;
      if (li !== undefined) {
        row.labelIndex = li;
        row.correct = li === row.predicted;
        labelled++;
        if (row.correct) correct++;
      }
    }
    return row;
  });
  const s: Summary = { rows, classified, errors, counts };
  if (labelled > 0) {
    s.accuracy = { correct, n: labelled };
    const labels = [...labelsSeen.keys()].sort((a, b) => {
      const ia = classIndex.get(a.toLowerCase()) ?? Infinity;
      const ib = classIndex.get(b.toLowerCase()) ?? Infinity;
      return ia - ib || a.localeCompare(b);
    });
    s.confusion = { labels, matrix: labels.map((l) => labelsSeen.get(l)!) };
  }
  return s;
}

/** The top `k` classes of one result, best first. */
export function topK(result: Extract<ItemResult, { ok: true }>, classes: readonly string[], k: number) {
  return result.probs
    .map((p, i) => ({ index: i, name: classes[i], prob: p, logit: result.logits[i] }))
    .sort((a, b) => b.prob - a.prob)
    .slice(0, k);
}

export type SortKey = 'name' | 'confidence-asc' | 'confidence-desc';
export type FilterKey = 'all' | 'errors' | 'wrong' | `class:${number}`;

export function sortAndFilter(rows: readonly Row[], sort: SortKey, filter: FilterKey): Row[] {
  let out = rows.filter((r) => {
    if (filter === 'all') return true;
    if (filter === 'errors') return r.result !== undefined && !r.result.ok;
    if (filter === 'wrong') return r.correct === false;
    return r.predicted === Number(filter.slice(6));
  });
  if (sort === 'name') out = [...out].sort((a, b) => a.item.path.localeCompare(b.item.path));
  else {
    const sign = sort === 'confidence-asc' ? 1 : -1;
    out = [...out].sort((a, b) => sign * ((a.confidence ?? 2) - (b.confidence ?? 2)));
  }
  return out;
}

// ---- export ----

function csvCell(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** What made a result set, as "# key: value" lines heading the CSV (the JSON carries the same fields). */
export function provenanceLines(results: ResultSet): string[] {
  return [
    `# model: ${results.model}`,
    `# backend: ${results.device}`,
    `# dtype: ${results.dtype}`,
    `# scoring: ${results.scoring?.kind ?? 'softmax'}`,
    `# classes: ${JSON.stringify(results.classes)}`,
    `# templates: ${JSON.stringify(results.templates)}`,
  ];
}

/**
 * Provenance lines ("# model: …"), then one line per image: path, label, prediction, confidence,
 * error, p(class) and logit(class) for each class, and the top `k` classes with their probabilities.
 */
export function toCsv(rows: readonly Row[], results: ResultSet, k = 5): string {
  const classes = results.classes;
  const kk = Math.min(k, classes.length);
  const ranks = Array.from({ length: kk }, (_, i) => i + 1);
  const head = [
    'image',
    'label',
    'predicted',
    'confidence',
    'error',
    ...classes.map((c) => `p(${c})`),
    ...classes.map((c) => `logit(${c})`),
    ...ranks.flatMap((r) => [`top${r}`, `top${r}_p`]),
  ];
  const lines = [...provenanceLines(results), head.map(csvCell).join(',')];
  for (const r of rows) {
    const ok = r.result?.ok ? r.result : undefined;
    const top = ok ? topK(ok, classes, kk) : [];
    lines.push(
      [
        r.item.path,
        r.item.label,
        r.predicted !== undefined ? classes[r.predicted] : '',
        r.confidence,
        r.result && !r.result.ok ? r.result.error : '',
        ...classes.map((_, i) => ok?.probs[i]),
        ...classes.map((_, i) => ok?.logits[i]),
        ...ranks.flatMap((_, i) => [top[i]?.name, top[i]?.prob]),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** The same shape as the CLI's `classify --json`, plus labels and predictions. */
export function toJson(rows: readonly Row[], results: ResultSet): string {
  return JSON.stringify(
    {
      model: results.model,
      scoring: results.scoring?.kind ?? 'softmax',
      device: results.device,
      dtype: results.dtype,
      labels: results.classes,
      templates: results.templates,
      results: rows.map((r) => {
        const base = { image: r.item.path, ...(r.item.label !== undefined ? { label: r.item.label } : {}) };
        if (!r.result) return { ...base, error: 'not classified' };
        if (!r.result.ok) return { ...base, error: r.result.error };
        return { ...base, predicted: results.classes[r.predicted!], probs: r.result.probs, logits: r.result.logits };
      }),
    },
    null,
    1,
  );
}
