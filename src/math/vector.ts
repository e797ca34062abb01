/** Small dense-vector helpers shared by zero-shot, search, the models and the CLI. Rows are packed row-major. */

/** L2-normalises each row of length `dim` in place and returns the same array. Zero rows stay zero. */
export function normalizeRows(data: Float32Array, dim: number): Float32Array {
  for (let off = 0; off < data.length; off += dim) {
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += data[off + j] * data[off + j];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let j = 0; j < dim; j++) data[off + j] *= inv;
  }
  return data;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, aOff = 0, bOff = 0, dim = a.length): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += a[aOff + j] * b[bOff + j];
  return s;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
  return Number.isFinite(d) ? d : 0;
}

/** Row `i` of a packed matrix, as a view (no copy). */
export function row(data: Float32Array, dim: number, i: number): Float32Array {
  return data.subarray(i * dim, (i + 1) * dim);
}
