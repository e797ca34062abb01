/**
 * Label-error scores, each named after its source, all oriented the same way: higher = more likely
 * a label error. From out-of-sample probabilities p (rows of classCount) and the given label y:
 *   confidence  −p_y                         (self-confidence; cleanlab's "self_confidence", negated)
 *   margin      −(p_y − max_{k≠y} p_k)       (cleanlab's "normalized_margin" up to an affine map, negated)
 *   entropy     −Σ p_k ln p_k                (FiftyOne's hardness: label-free)
 *   loss        −ln p_y                      (cross-entropy of the given label)
 *   avh         A(z, w_y) / Σ_k A(z, w_k)    (Chen et al. 2020; from angles, not probabilities)
 *   cl          confident learning's flagged examples above all others, each group by 1 − normalised margin
 */
import { findLabelIssues, labelQuality, numLabelIssues, type FindOptions, type ProbTable } from './confident-learning';

export const METHODS = ['avh', 'cl', 'margin', 'confidence', 'entropy', 'loss'] as const;
export type Method = (typeof METHODS)[number];

/** Smallest probability fed to the log, so a zero p_y gives a large finite loss, not Infinity. */
const P_FLOOR = 1e-300;

export function scoreOf(method: Exclude<Method, 'avh' | 'cl'>, t: ProbTable): Float64Array {
  const C = t.classCount;
  const n = t.labels.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = t.labels[i];
    const py = t.probs[i * C + y];
    if (method === 'confidence') out[i] = -py;
    else if (method === 'loss') out[i] = -Math.log(Math.max(P_FLOOR, py));
    else if (method === 'margin') {
      let other = -Infinity;
      for (let k = 0; k < C; k++) if (k !== y) other = Math.max(other, t.probs[i * C + k]);
      out[i] = -(py - other);
    } else {
      let h = 0;
      for (let k = 0; k < C; k++) {
        const p = t.probs[i * C + k];
        if (p > 0) h -= p * Math.log(p);
      }
      out[i] = h;
    }
  }
  return out;
}

/**
 * Confident learning as a score: flagged examples get 1 + (1 − q), the rest 1 − q, with q the
 * normalised margin in [0, 1]; so its top-|issues| is exactly its issue list in cleanlab's order
 * (rank_by normalized_margin) and the rest follow by the same quality.
 */
export function clScores(t: ProbTable, issues: readonly number[]): Float64Array {
  const q = labelQuality(t, 'normalized_margin');
  const out = Float64Array.from(q, (v) => 1 - v);
  for (const i of issues) out[i] += 1;
  return out;
}

export interface MethodResult {
  scores: Float64Array;
  /** 0-based indices the method flags, most likely error first */
  issues: number[];
}

/** Indices of the `count` highest scores, highest first; ties by index. */
export function topIndices(scores: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, Math.max(0, count));
}

/**
 * Every requested method's scores and issues. Confident learning flags its own set; the single
 * scores flag their top-m with m = cleanlab's num_label_issues estimate (as cleanlab does for
 * filter_by low_self_confidence / low_normalized_margin), so all lists have comparable lengths.
 */
export function scoreMethods(t: ProbTable, methods: readonly Method[], avh: ArrayLike<number> | null, cl: FindOptions = {}): Record<string, MethodResult> {
  const out: Record<string, MethodResult> = {};
  const m = numLabelIssues(t);
  for (const method of methods) {
    if (method === 'cl') {
      const issues = findLabelIssues(t, { rankBy: 'normalized_margin', ...cl });
      out.cl = { scores: clScores(t, issues), issues };
      continue;
    }
    if (method === 'avh' && !avh) throw new Error('AVH needs embeddings and class vectors');
    const scores = method === 'avh' ? Float64Array.from(avh!) : scoreOf(method, t);
    out[method] = { scores, issues: topIndices(scores, m) };
  }
  return out;
}
