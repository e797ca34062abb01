/**
 * Per-image human scores (e.g. CIFAR-10H: the share of annotators who chose the true label) from a
 * CSV of `name,score` lines, matched to images by path or file name; and the rank correlations of
 * AVH and of confidence with them.
 */
import { spearman } from '../../../src/hardness/rank';
import type { HardRow } from './derive';

export interface HumanScores {
  file: string;
  scores: Map<string, number>;
  /** lines that could not be read */
  skipped: number;
}

export function parseHumanCsv(text: string, file: string): HumanScores {
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

export function humanAgreement(rows: readonly HardRow[], h: HumanScores): { n: number; avh: number; confidence: number } {
  const avh: number[] = [];
  const conf: number[] = [];
  const human: number[] = [];
  for (const r of rows) {
    const s = h.scores.get(r.path) ?? h.scores.get(r.data.item.name);
    if (s === undefined) continue;
    avh.push(r.avh);
    conf.push(r.confidence);
    human.push(s);
  }
  return { n: human.length, avh: spearman(avh, human), confidence: spearman(conf, human) };
}
