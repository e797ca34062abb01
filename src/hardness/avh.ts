/**
 * Angular Visual Hardness (Chen et al., ICML 2020):
 *   AVH(x) = A(z, w_y) / Σ_k A(z, w_k),  A(u, v) = arccos(clamp(u·v / (|u||v|), -1, 1)).
 * Float64 throughout (JS numbers), whatever the input array type.
 */

export type Vector = ArrayLike<number>;

export function norm(v: Vector): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

export function dot(u: Vector, v: Vector): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}

/** Angle in radians between u and v; NaN when either is the zero vector. */
export function angle(u: Vector, v: Vector, normU = norm(u), normV = norm(v)): number {
  const c = dot(u, v) / (normU * normV);
  if (Number.isNaN(c)) return NaN;
  return Math.acos(Math.min(1, Math.max(-1, c)));
}

/** Angles from z to every class vector, in class order. */
export function classAngles(z: Vector, classVectors: readonly Vector[], classNorms?: readonly number[]): number[] {
  const nz = norm(z);
  return classVectors.map((w, k) => angle(z, w, nz, classNorms ? classNorms[k] : norm(w)));
}

/** AVH of one embedding for class y; NaN when the angles are undefined or all zero. */
export function avhFromAngles(angles: readonly number[], y: number): number {
  let sum = 0;
  for (const a of angles) sum += a;
  return angles[y] / sum;
}

/**
 * AVH for each embedding with its label. Returns NaN for an embedding whose angles are undefined
 * (zero vectors): callers that need a hard error validate first (see validateAvhInput).
 */
export function avhScores(embeddings: readonly Vector[], classVectors: readonly Vector[], labels: ArrayLike<number>): Float64Array {
  const classNorms = classVectors.map(norm);
  const out = new Float64Array(embeddings.length);
  for (let i = 0; i < embeddings.length; i++) {
    out[i] = avhFromAngles(classAngles(embeddings[i], classVectors, classNorms), labels[i]);
  }
  return out;
}

/** The class with the smallest angle to z (the prediction AVH's geometry implies). */
export function nearestClassByAngle(angles: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < angles.length; k++) if (angles[k] < angles[best]) best = k;
  return best;
}

/** Why an AVH input cannot be scored, or null when it can. Messages name the offending index. */
export function validateAvhInput(embeddings: readonly Vector[], classVectors: readonly Vector[], labels: ArrayLike<number>): string | null {
  if (classVectors.length < 2) return `need at least 2 class vectors, got ${classVectors.length}`;
  const dim = classVectors[0].length;
  if (dim === 0) return 'class vectors are empty';
  if (embeddings.length === 0) return 'no embeddings';
  if (labels.length !== embeddings.length) return `labels has ${labels.length} entries but embeddings has ${embeddings.length}`;
  for (let k = 0; k < classVectors.length; k++) {
    const w = classVectors[k];
    if (w.length !== dim) return `classVectors[${k}] has length ${w.length}, expected ${dim}`;
    const bad = firstNonFinite(w);
    if (bad >= 0) return `classVectors[${k}][${bad}] is not a finite number`;
    const n = norm(w);
    if (n === 0) return `classVectors[${k}] is the zero vector (its angle is undefined)`;
    if (!Number.isFinite(n)) return `classVectors[${k}] is too large (its norm overflows)`;
  }
  for (let i = 0; i < embeddings.length; i++) {
    const z = embeddings[i];
    if (z.length !== dim) return `embeddings[${i}] has length ${z.length}, expected ${dim} (the class vector length)`;
    const bad = firstNonFinite(z);
    if (bad >= 0) return `embeddings[${i}][${bad}] is not a finite number`;
    const n = norm(z);
    if (n === 0) return `embeddings[${i}] is the zero vector (its angle is undefined)`;
    if (!Number.isFinite(n)) return `embeddings[${i}] is too large (its norm overflows)`;
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classVectors.length) {
      return `labels[${i}] = ${String(y)} is not a class index in 0..${classVectors.length - 1}`;
    }
  }
  return null;
}

function firstNonFinite(v: Vector): number {
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) return i;
  return -1;
}

/** Row views of a flat row-major array (no copy), for avhScores over cached embeddings. */
export function rowsOf(flat: Float32Array | Float64Array, dim: number): (Float32Array | Float64Array)[] {
  if (flat.length % dim !== 0) throw new Error(`embeddings hold ${flat.length} numbers, not a multiple of dimension ${dim}`);
  return Array.from({ length: flat.length / dim }, (_, i) => flat.subarray(i * dim, (i + 1) * dim));
}
