/**
 * 2-D maps of embeddings: PCA (top two principal components by power iteration) always, UMAP
 * (umap-js) when there are enough points for a neighbour graph. Both deterministic for a seed.
 * Extra points (e.g. class-prompt text embeddings) are placed with the fitted map, not fitted.
 */
import { UMAP } from 'umap-js';
import { gaussianSource, mulberry32 } from '../math/rng';

export interface EmbeddingMap {
  method: 'pca' | 'umap';
  /** x, y per input row: length 2n */
  points: Float64Array;
  /** x, y per extra point */
  extra: Float64Array;
}

export interface MapOptions {
  method?: 'auto' | 'pca' | 'umap';
  seed?: number;
  /** below this many points 'auto' uses PCA */
  umapMinPoints?: number;
  nNeighbors?: number;
  minDist?: number;
  nEpochs?: number;
  /** rows to place on the fitted map (flat, same dim) */
  extra?: ArrayLike<number>;
}

/** L2-normalised rows (cosine geometry, as CLIP compares embeddings); zero rows stay zero. */
function normalisedRows(flat: ArrayLike<number>, dim: number): Float64Array[] {
  const n = Math.floor(flat.length / dim);
  return Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(dim);
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += (r[j] = flat[i * dim + j]) ** 2;
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let j = 0; j < dim; j++) r[j] *= inv;
    return r;
  });
}

export interface Pca {
  mean: Float64Array;
  /** orthonormal components, strongest first */
  components: Float64Array[];
  /** variance along each component */
  variances: number[];
}

/**
 * Top principal components by power iteration with deflation (covariance never formed:
 * each step is two passes over the rows). Deterministic start from the seed.
 */
export function pca(rows: readonly ArrayLike<number>[], count = 2, seed = 0, iterations = 100): Pca {
  const n = rows.length;
  const d = n ? rows[0].length : 0;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const centred = rows.map((r) => Float64Array.from({ length: d }, (_, j) => r[j] - mean[j]));
  const normal = gaussianSource(mulberry32(seed));
  const components: Float64Array[] = [];
  const variances: number[] = [];
  for (let k = 0; k < Math.min(count, d); k++) {
    let v = Float64Array.from({ length: d }, () => normal());
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      orthogonalise(v, components);
      const next = new Float64Array(d);
      for (const r of centred) {
        let p = 0;
        for (let j = 0; j < d; j++) p += r[j] * v[j];
        for (let j = 0; j < d; j++) next[j] += p * r[j];
      }
      orthogonalise(next, components);
      const len = Math.hypot(...next);
      if (len === 0) break;
      for (let j = 0; j < d; j++) next[j] /= len;
      let change = 0;
      for (let j = 0; j < d; j++) change = Math.max(change, Math.abs(next[j] - v[j]));
      v = next;
      lambda = len / Math.max(1, n - 1);
      if (change < 1e-10) break;
    }
    // fix the sign so the map does not flip between runs with different starts
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
    components.push(v);
    variances.push(lambda);
  }
  return { mean, components, variances };
}

function orthogonalise(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const b of basis) {
    let p = 0;
    for (let j = 0; j < v.length; j++) p += v[j] * b[j];
    for (let j = 0; j < v.length; j++) v[j] -= p * b[j];
  }
}

export function pcaProject(model: Pca, rows: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(rows.length * 2);
  rows.forEach((r, i) => {
    model.components.slice(0, 2).forEach((c, k) => {
      let p = 0;
      for (let j = 0; j < c.length; j++) p += (r[j] - model.mean[j]) * c[j];
      out[i * 2 + k] = p;
    });
  });
  return out;
}

/** A 2-D map of n rows of `dim` floats (flat). */
export function embeddingMap(flat: ArrayLike<number>, dim: number, options: MapOptions = {}): EmbeddingMap {
  const rows = normalisedRows(flat, dim);
  const extraRows = options.extra ? normalisedRows(options.extra, dim) : [];
  const seed = options.seed ?? 0;
  const method = options.method ?? 'auto';
  const useUmap = method === 'umap' || (method === 'auto' && rows.length >= (options.umapMinPoints ?? 50));
  if (!useUmap || rows.length < 3) {
    const model = pca(rows, 2, seed);
    return { method: 'pca', points: pcaProject(model, rows), extra: pcaProject(model, extraRows) };
  }
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(options.nNeighbors ?? 15, rows.length - 1)),
    minDist: options.minDist ?? 0.1,
    nEpochs: options.nEpochs,
    random: mulberry32(seed),
  });
  const data = rows.map((r) => Array.from(r));
  const fitted = umap.fit(data);
  const placed = extraRows.length ? umap.transform(extraRows.map((r) => Array.from(r))) : [];
  return { method: 'umap', points: Float64Array.from(fitted.flat()), extra: Float64Array.from(placed.flat()) };
}
