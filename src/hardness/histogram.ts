/** Per-class histograms of a score on shared bin edges, so the classes can be drawn side by side. */

export interface ClassHistograms {
  /** bins + 1 ascending edges; the last bin includes its right edge */
  edges: number[];
  /** counts[class][bin] */
  counts: number[][];
}

export function perClassHistograms(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  classCount: number,
  bins = 20,
  range?: [number, number],
): ClassHistograms {
  let [lo, hi] = range ?? [Infinity, -Infinity];
  if (!range) {
    for (let i = 0; i < scores.length; i++) {
      if (!Number.isFinite(scores[i])) continue;
      lo = Math.min(lo, scores[i]);
      hi = Math.max(hi, scores[i]);
    }
    if (lo > hi) [lo, hi] = [0, 1];
  }
  if (hi === lo) hi = lo + 1;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, b) => lo + b * width);
  edges[bins] = hi;
  const counts = Array.from({ length: classCount }, () => new Array<number>(bins).fill(0));
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    const row = counts[labels[i]];
    if (!row || !Number.isFinite(s) || s < lo || s > hi) continue;
    row[Math.min(bins - 1, Math.floor((s - lo) / width))]++;
  }
  return { edges, counts };
}
