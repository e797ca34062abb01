import type { VectorSource } from '../../workers/hardness-protocol';

/** Which (vector source, dataset) an analysis was computed for. */
export const analysisKey = (source: VectorSource, dataKey: string): string => `${source}|${dataKey}`;

/**
 * The stored analysis if it was computed for this dataset and source, else null. When the dataset
 * changes (the demo opened over CLIP results, say), the previous analysis stays in the store, still
 * 'done', until the panel's effect starts the new one: deriving views from it with the new dataset's
 * classes mixed two datasets (a histogram per class read counts[k] of a class the old one lacked).
 */
export function currentAnalysis<A>(s: { analysis: A | null; analysisKey: string | null; status: string }, source: VectorSource, dataKey: string): A | null {
  return s.status === 'done' && s.analysis !== null && s.analysisKey === analysisKey(source, dataKey) ? s.analysis : null;
}
