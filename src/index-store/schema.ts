/**
 * The embedding index's columns (one row per image or text), as an Arrow table: the CLI writes it
 * to Parquet, the lab reads it back. `embedding` is a fixed-size list of float32, L2-normalised;
 * `width`, `height` and `label` are null for texts and for images outside a folder.
 */
import { DataType, Field, FixedSizeList, Float32, Int32, makeData, makeVector, Precision, Table, Utf8, vectorFromArray } from 'apache-arrow';

export const INDEX_COLUMNS = ['path', 'sha256', 'width', 'height', 'label', 'model', 'dtype', 'embedding'] as const;

export interface IndexRow {
  path: string;
  sha256: string;
  width: number | null;
  height: number | null;
  label: string | null;
  model: string;
  dtype: string;
  embedding: Float32Array;
}

/** Rows (all of one dimension) as an Arrow table with the index's schema. */
export function indexTable(rows: readonly IndexRow[], dim: number): Table {
  const flat = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    if (r.embedding.length !== dim) throw new Error(`${r.path}: embedding has ${r.embedding.length} numbers, expected ${dim}`);
    flat.set(r.embedding, i * dim);
  });
  const type = new FixedSizeList(dim, new Field('item', new Float32(), false));
  const child = makeData({ type: new Float32(), length: flat.length, data: flat });
  const col = <K extends keyof IndexRow>(k: K) => rows.map((r) => r[k]);
  return new Table({
    path: vectorFromArray(col('path'), new Utf8()),
    sha256: vectorFromArray(col('sha256'), new Utf8()),
    width: vectorFromArray(col('width'), new Int32()),
    height: vectorFromArray(col('height'), new Int32()),
    label: vectorFromArray(col('label'), new Utf8()),
    model: vectorFromArray(col('model'), new Utf8()),
    dtype: vectorFromArray(col('dtype'), new Utf8()),
    embedding: makeVector(makeData({ type, length: rows.length, nullCount: 0, child })),
  });
}

/** An index read back: columns as arrays, embeddings flat (row-major). */
export interface IndexColumns {
  path: string[];
  sha256: string[];
  label: (string | null)[];
  model: string[];
  dtype: string[];
  dim: number;
  embeddings: Float32Array;
}

/** Checks the schema and pulls the columns out of one Arrow table (one part file). */
export function readIndexTable(t: Table, file: string): IndexColumns {
  const missing = INDEX_COLUMNS.filter((c) => !t.getChild(c));
  if (missing.length) throw new Error(`${file}: not an embedding index (missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')})`);
  const emb = t.getChild('embedding')!;
  // Type guards, not instanceof: a table read from IPC holds Float(SINGLE), not the Float32 subclass.
  const type = emb.type as DataType;
  const item = DataType.isFixedSizeList(type) ? (type.children[0].type as DataType) : null;
  if (!DataType.isFixedSizeList(type) || !item || !DataType.isFloat(item) || item.precision !== Precision.SINGLE) {
    throw new Error(`${file}: column embedding is ${String(emb.type)}, expected a fixed-size list of float32`);
  }
  const dim = type.listSize;
  const embeddings = new Float32Array(t.numRows * dim);
  let at = 0;
  for (const chunk of emb.data) {
    const values = chunk.children[0].values as Float32Array;
    const start = chunk.offset * dim;
    embeddings.set(values.subarray(start, start + chunk.length * dim), at);
    at += chunk.length * dim;
  }
  const strings = (name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<string | null>);
  return {
    path: strings('path') as string[],
    sha256: strings('sha256') as string[],
    label: strings('label'),
    model: strings('model') as string[],
    dtype: strings('dtype') as string[],
    dim,
    embeddings,
  };
}
