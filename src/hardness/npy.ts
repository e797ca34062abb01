/**
 * A minimal NumPy .npy reader for human scores: format versions 1.0, 2.0 and 3.0, little-endian (or 1-byte)
 * float32/float64/int8-64/uint8-64/bool, C order, 1-D [N] or 2-D [N, K]. Errors name the file and the reason.
 * Layout: "\x93NUMPY", major, minor, header length (uint16 for v1, uint32 for v2/v3), a Python dict literal
 * header ({'descr': '<f4', 'fortran_order': False, 'shape': (N, K), }), then the raw data.
 */

export class NpyError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface NpyArray {
  shape: number[];
  dtype: string;
  /** values as float64, row-major */
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError(file, 'not a NumPy .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError(file, 'truncated header');
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else throw new NpyError(file, `unsupported .npy format version ${major}.${bytes[7]}`);
  if (start + headerLen > bytes.length) throw new NpyError(file, 'truncated header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new NpyError(file, `unreadable header: ${header.trim().slice(0, 120)}`);
  if (fortran === 'True') throw new NpyError(file, 'fortran_order arrays are not supported (save with numpy.ascontiguousarray)');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(file, `bad shape (${shapeText})`);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m) throw new NpyError(file, `unsupported dtype '${descr}' (expected float32/float64, an integer type or bool)`);
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  if (order === '>' && size > 1) throw new NpyError(file, `big-endian dtype '${descr}' is not supported`);
  const valid = kind === 'f' ? size === 4 || size === 8 : kind === 'b' ? size === 1 : [1, 2, 4, 8].includes(size);
  if (!valid) throw new NpyError(file, `unsupported dtype '${descr}'`);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset < count * size) throw new NpyError(file, `truncated data: ${count} values of ${size} bytes need ${count * size} bytes, ${bytes.length - offset} present`);
  const data = new Float64Array(count);
  const at = dv;
  for (let i = 0; i < count; i++) {
    const o = offset + i * size;
    data[i] =
      kind === 'f'
        ? size === 4
          ? at.getFloat32(o, true)
          : at.getFloat64(o, true)
        : kind === 'b'
          ? at.getUint8(o)
          : kind === 'i'
            ? size === 1
              ? at.getInt8(o)
              : size === 2
                ? at.getInt16(o, true)
                : size === 4
                  ? at.getInt32(o, true)
                  : Number(at.getBigInt64(o, true))
            : size === 1
              ? at.getUint8(o)
              : size === 2
                ? at.getUint16(o, true)
                : size === 4
                  ? at.getUint32(o, true)
                  : Number(at.getBigUint64(o, true));
  }
  return { shape, dtype: descr, data };
}

/**
 * Per-image human scores from an array: [N] as they are, or [N, K] soft labels (e.g. CIFAR-10H's probabilities
 * of each class) as the probability of each image's given label (`labels[i]`; -1 gives NaN).
 */
export function humanScoresFromArray(a: NpyArray, labels: ArrayLike<number>, file: string): Float64Array {
  const n = labels.length;
  if (a.shape.length === 1) {
    if (a.shape[0] !== n) throw new NpyError(file, `${a.shape[0]} scores for ${n} images (the rows must follow the images' order)`);
    return a.data.slice();
  }
  if (a.shape.length === 2) {
    const [rows, k] = a.shape;
    if (rows !== n) throw new NpyError(file, `${rows} rows of soft labels for ${n} images (the rows must follow the images' order)`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const y = labels[i];
      if (y >= k) throw new NpyError(file, `image ${i} has label ${y} but the soft labels have ${k} classes`);
      out[i] = y < 0 ? NaN : a.data[i * k + y];
    }
    return out;
  }
  throw new NpyError(file, `shape (${a.shape.join(', ')}): expected [N] scores or [N, K] soft labels`);
}
