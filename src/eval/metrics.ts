/**
 * Zero-shot accuracy from embeddings: every image's cosine to every class vector, ranked. The
 * ranking by cosine is the family's ranking (CLIP's 100·cos and SigLIP's scale·cos + bias are
 * increasing in cos), so top-k needs no scoring.
 */
export interface Metrics {
  n: number;
  top1: number;
  top5: number;
  /** per class: images and correct top-1 */
  perClass: { n: number; correct: number }[];
  /** confusion[true][predicted] */
  confusion: number[][];
  /** top-1 prediction per image */
  predicted: Int32Array;
}

/** images [N, dim] and classes [C, dim], both L2-normalised; labels 0..C-1. */
export function zeroShotMetrics(images: Float32Array, labels: ArrayLike<number>, classes: Float32Array, dim: number): Metrics {
  const N = labels.length;
  const C = classes.length / dim;
  const k = Math.min(5, C);
  const perClass = Array.from({ length: C }, () => ({ n: 0, correct: 0 }));
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  const predicted = new Int32Array(N);
  const s = new Float64Array(C);
  let top1 = 0;
  let top5 = 0;
  for (let i = 0; i < N; i++) {
    const io = i * dim;
    for (let c = 0; c < C; c++) {
      let v = 0;
      const co = c * dim;
      for (let j = 0; j < dim; j++) v += images[io + j] * classes[co + j];
      s[c] = v;
    }
    let best = 0;
    for (let c = 1; c < C; c++) if (s[c] > s[best]) best = c;
    const y = labels[i];
    // rank of the true class: how many classes score strictly higher (ties count for the image)
    let above = 0;
    for (let c = 0; c < C; c++) if (s[c] > s[y]) above++;
    predicted[i] = best;
    perClass[y].n++;
    confusion[y][best]++;
    if (best === y) {
      top1++;
      perClass[y].correct++;
    }
    if (above < k) top5++;
  }
  return { n: N, top1: N ? top1 / N : 0, top5: N ? top5 / N : 0, perClass, confusion, predicted };
}

/** Per class: the mean of the rows (each [C, dim], L2-normalised), normalised again. */
export function ensembleRows(perTemplate: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(perTemplate[0].length);
  for (const rows of perTemplate) for (let k = 0; k < out.length; k++) out[k] += rows[k] / perTemplate.length;
  for (let o = 0; o < out.length; o += dim) {
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += out[o + j] * out[o + j];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let j = 0; j < dim; j++) out[o + j] *= inv;
  }
  return out;
}
