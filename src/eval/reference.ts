/** Published figures beside the user's (one data file, reference-figures.json, with its citations). */
import data from './reference-figures.json';

export interface ReferenceRow {
  arch: string;
  protocol: string;
  source: string;
  citation: string;
  /** top-1 as a fraction */
  top1: number;
}

type Row = { arch: string; protocol: string; source: string } & Record<string, number | string>;

/** The architecture a model id names (Hub ids like openai/clip-vit-base-patch32, open_clip names like ViT-B-32). */
export function archOf(model: string): string | null {
  const m = model.toLowerCase();
  if (/base-patch32|vit-b-32|vit-b\/32/.test(m)) return 'ViT-B/32';
  if (/base-patch16|vit-b-16|vit-b\/16/.test(m)) return 'ViT-B/16';
  if (/large-patch14|vit-l-14|vit-l\/14/.test(m)) return 'ViT-L/14';
  return null;
}

/** Rows for a dataset: the model's own architecture first when known, else every architecture. */
export function referenceRows(dataset: string, model?: string): ReferenceRow[] {
  const arch = model ? archOf(model) : null;
  const sources = data.sources as Record<string, string>;
  return (data.rows as Row[])
    .filter((r) => typeof r[dataset] === 'number' && (!arch || r.arch === arch))
    .map((r) => ({ arch: r.arch, protocol: r.protocol, source: r.source, citation: sources[r.source], top1: (r[dataset] as number) / 100 }));
}
