/**
 * String columns of an embedding index without one JS string per row: a million-row index (issue 18)
 * holds its paths as their UTF-8 bytes (decoded when a row is shown), its labels as codes into their
 * few distinct values, and only the distinct values of `model` and `dtype`, read straight from Arrow's
 * Utf8 buffers (offsets + bytes; a run of equal values costs one comparison per row, no decoding).
 */
import { DataType, type Data, type Vector } from 'apache-arrow';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** One Arrow Utf8 chunk's raw buffers, or null when the chunk is of another type (dictionary, large, view). */
function utf8Buffers(d: Data): { offsets: Int32Array; bytes: Uint8Array; nulls: boolean; valid: (i: number) => boolean } | null {
  if (!DataType.isUtf8(d.type) || !(d.valueOffsets instanceof Int32Array) || !(d.values instanceof Uint8Array)) return null;
  // Arrow JS slices a chunk's offsets (and values) buffers themselves; `offset` only applies to the validity bitmap
  const offsets = d.valueOffsets.subarray(0, d.length + 1);
  const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
  const off = d.offset;
  const valid = bitmap ? (i: number) => ((bitmap[(off + i) >> 3] >> ((off + i) & 7)) & 1) === 1 : () => true;
  return { offsets, bytes: d.values, nulls: !!bitmap, valid };
}

function sameBytes(b: Uint8Array, s0: number, e0: number, s1: number, e1: number): boolean {
  if (e0 - s0 !== e1 - s1) return false;
  for (let k = 0; k < e0 - s0; k++) if (b[s0 + k] !== b[s1 + k]) return false;
  return true;
}

/**
 * Each row's code into `values` (the column's distinct strings, in order of first appearance), -1 for a
 * null. Equal neighbours are recognised from their bytes, so a sorted or constant column decodes once
 * per run.
 */
export function dictionaryOf(v: Vector): { codes: Int32Array; values: string[] } {
  const codes = new Int32Array(v.length);
  const values: string[] = [];
  const at = new Map<string, number>();
  const codeOf = (s: string) => {
    let c = at.get(s);
    if (c === undefined) {
      c = values.length;
      values.push(s);
      at.set(s, c);
    }
    return c;
  };
  let row = 0;
  for (const d of v.data) {
    const u = utf8Buffers(d);
    if (!u) {
      // another string encoding: the generic (per-row decoding) accessor
      for (let i = 0; i < d.length; i++, row++) {
        const s = v.get(row) as string | null;
        codes[row] = s === null ? -1 : codeOf(s);
      }
      continue;
    }
    const { offsets, bytes, valid } = u;
    let prev = -1; // the previous valid row of this chunk
    for (let i = 0; i < d.length; i++, row++) {
      if (!valid(i)) {
        codes[row] = -1;
        continue;
      }
      if (prev >= 0 && sameBytes(bytes, offsets[prev], offsets[prev + 1], offsets[i], offsets[i + 1])) codes[row] = codes[row - (i - prev)];
      else codes[row] = codeOf(decoder.decode(bytes.subarray(offsets[i], offsets[i + 1])));
      prev = i;
    }
  }
  return { codes, values };
}

/** The distinct non-null strings of a column (in order of first appearance). */
export function distinctStrings(v: Vector): string[] {
  return dictionaryOf(v).values;
}

/**
 * A string column kept as UTF-8 bytes and offsets (compact copies: nothing else of the Arrow table stays
 * alive), decoded per row on demand. Nulls read as ''.
 */
export class Utf8Column {
  private constructor(
    private readonly bytes: Uint8Array,
    /** rows + 1 offsets into bytes */
    private readonly offsets: Int32Array,
  ) {}

  get length(): number {
    return this.offsets.length - 1;
  }

  get(i: number): string {
    return decoder.decode(this.bytes.subarray(this.offsets[i], this.offsets[i + 1]));
  }

  static fromStrings(strings: readonly (string | null)[]): Utf8Column {
    const encoded = strings.map((s) => encoder.encode(s ?? ''));
    const offsets = new Int32Array(strings.length + 1);
    encoded.forEach((e, i) => (offsets[i + 1] = offsets[i] + e.length));
    const bytes = new Uint8Array(offsets[strings.length]);
    encoded.forEach((e, i) => bytes.set(e, offsets[i]));
    return new Utf8Column(bytes, offsets);
  }

  /** From an Arrow string column: its Utf8 buffers copied compactly (other encodings through their strings). */
  static fromVector(v: Vector): Utf8Column {
    const chunks = v.data.map((d) => utf8Buffers(d));
    if (chunks.some((c) => !c)) return Utf8Column.fromStrings(Array.from({ length: v.length }, (_, i) => v.get(i) as string | null));
    const offsets = new Int32Array(v.length + 1);
    let total = 0;
    for (const c of chunks) total += c!.offsets[c!.offsets.length - 1] - c!.offsets[0];
    const bytes = new Uint8Array(total);
    let row = 0;
    let at = 0;
    for (const c of chunks) {
      const { offsets: o, bytes: b, valid, nulls } = c!;
      const n = o.length - 1;
      if (!nulls) {
        bytes.set(b.subarray(o[0], o[n]), at);
        for (let i = 0; i < n; i++) offsets[row + i + 1] = at + o[i + 1] - o[0];
        at += o[n] - o[0];
      } else {
        for (let i = 0; i < n; i++) {
          if (valid(i)) {
            bytes.set(b.subarray(o[i], o[i + 1]), at);
            at += o[i + 1] - o[i];
          }
          offsets[row + i + 1] = at;
        }
      }
      row += n;
    }
    return new Utf8Column(at === total ? bytes : bytes.slice(0, at), offsets);
  }
}

/** Several columns read as one (an index's parts, in order): row r of the whole is found by binary search. */
export class PartedColumn {
  private readonly starts: number[] = [];
  private total = 0;
  private readonly parts: Utf8Column[] = [];

  push(part: Utf8Column): void {
    this.parts.push(part);
    this.starts.push(this.total);
    this.total += part.length;
  }

  get length(): number {
    return this.total;
  }

  get(row: number): string {
    if (!(row >= 0 && row < this.total)) throw new Error(`no row ${row} (the column holds ${this.total})`);
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return this.parts[lo].get(row - this.starts[lo]);
  }

  /** Every row decoded (what a whole-index job such as the hardness panel's needs). */
  toArray(): string[] {
    const out = new Array<string>(this.total);
    let row = 0;
    for (const p of this.parts) for (let i = 0; i < p.length; i++) out[row++] = p.get(i);
    return out;
  }
}
