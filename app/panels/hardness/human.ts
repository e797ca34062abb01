/**
 * Per-image human scores (e.g. CIFAR-10H: the share of annotators who chose the true label) and the rank
 * correlations of AVH and of confidence with them. Two formats:
 * - CSV of `name,score` lines, matched to images by path or file name;
 * - NumPy .npy, rows in the images' order (the dataset index for images from the BatchNorm panel or the demo, else
 *   the order the images were added): [N] scores, or [N, K] soft labels whose score is the probability of the
 *   image's given label (CIFAR-10H's `cifar10h-probs.npy` for the CIFAR-10 test set).
 */
import { spearman } from '../../../src/hardness/rank';
import { NpyError, humanScoresFromArray, parseNpy } from '../../../src/hardness/npy';
import type { HardRow } from './derive';
import type { Dataset } from './dataset';

export interface HumanScores {
  file: string;
  /** image id -> score */
  byId: Map<string, number>;
  /** CSV lines that could not be read */
  skipped: number;
}

export function parseHumanCsv(text: string, file: string): { file: string; scores: Map<string, number>; skipped: number } {
  const scores = new Map<string, number>();
  let skipped = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const cut = line.lastIndexOf(',');
    const name = line.slice(0, cut).trim().replace(/^"(.*)"$/, '$1');
    const score = Number(line.slice(cut + 1));
    if (cut <= 0 || !Number.isFinite(score)) skipped++;
    else scores.set(name, score);
  }
  return { file, scores, skipped };
}

const isNpy = (bytes: Uint8Array, file: string) => /\.npy$/i.test(file) || (bytes[0] === 0x93 && bytes[1] === 0x4e && bytes[2] === 0x55);

/** Read a human-scores file (CSV or .npy) for `data`'s images. Throws an error naming the file and the reason. */
export function loadHumanScores(bytes: Uint8Array, file: string, data: Pick<Dataset, 'items'>): HumanScores {
  const byId = new Map<string, number>();
  if (!isNpy(bytes, file)) {
    const csv = parseHumanCsv(new TextDecoder().decode(bytes), file);
    for (const d of data.items) {
      const s = csv.scores.get(d.item.path) ?? csv.scores.get(d.item.name);
      if (s !== undefined) byId.set(d.item.id, s);
    }
    return { file, byId, skipped: csv.skipped };
  }
  const a = parseNpy(bytes, file);
  if (a.shape.length < 1) throw new NpyError(file, 'a scalar: expected [N] scores or [N, K] soft labels');
  const rows = a.shape[0];
  const indexed = data.items.every((d) => d.index !== undefined);
  const pos = data.items.map((d, i) => (indexed ? d.index! : i));
  const need = pos.reduce((m, p) => Math.max(m, p + 1), 0);
  if (indexed ? rows < need : rows !== data.items.length) {
    throw new NpyError(file, `${rows} rows for ${indexed ? `images with dataset indices up to ${need - 1}` : `${data.items.length} images`} (the rows must follow the images' order)`);
  }
  const labels = new Int32Array(rows).fill(-1);
  data.items.forEach((d, i) => (labels[pos[i]] = d.label));
  const scores = humanScoresFromArray(a, labels, file);
  data.items.forEach((d, i) => {
    const s = scores[pos[i]];
    if (Number.isFinite(s)) byId.set(d.item.id, s);
  });
  return { file, byId, skipped: 0 };
}

export function humanAgreement(rows: readonly HardRow[], h: HumanScores): { n: number; avh: number; confidence: number } {
  const avh: number[] = [];
  const conf: number[] = [];
  const human: number[] = [];
  for (const r of rows) {
    const s = h.byId.get(r.data.item.id);
    if (s === undefined) continue;
    avh.push(r.avh);
    conf.push(r.confidence);
    human.push(s);
  }
  return { n: human.length, avh: spearman(avh, human), confidence: spearman(conf, human) };
}
