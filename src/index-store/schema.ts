/**
 * The embedding index's columns (one row per image or text), as an Arrow table: the CLI writes it
 * to Parquet, the lab reads it back. `embedding` is a fixed-size list of float32, L2-normalised;
 * `width`, `height` and `label` are null for texts and for images outside a folder.
 */
import { dictionaryOf, distinctStrings, Utf8Column } from './columns';
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

/** The schema checks: every column present, `embedding` a fixed-size list of float32; its dimension. */
function checkedEmbedding(t: Table, file: string): { dim: number; chunks: Float32Array[] } {
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
  // Arrow JS slices a chunk's child buffers themselves (a sliced table's `offset` only applies to validity)
  const chunks = emb.data.map((chunk) => (chunk.children[0].values as Float32Array).subarray(0, chunk.length * dim));
  return { dim, chunks };
}

/** Checks the schema and pulls the columns out of one Arrow table (one part file). */
export function readIndexTable(t: Table, file: string): IndexColumns {
  const { dim, chunks } = checkedEmbedding(t, file);
  const embeddings = new Float32Array(t.numRows * dim);
  chunks.reduce((at, c) => (embeddings.set(c, at), at + c.length), 0);
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

/**
 * One part file as the lab's index worker keeps it (readIndexTable's checks, no per-row JS array but
 * the label codes): embeddings as views into the table's own buffers (add them, then drop the table),
 * paths as UTF-8 bytes decoded on demand, labels as codes, model and dtype as their distinct values.
 */
export interface IndexPart {
  rows: number;
  dim: number;
  /** row-major float32 values, one view per Arrow chunk (no copy: valid while the table's buffers are) */
  embeddings: Float32Array[];
  path: Utf8Column;
  /** each row's index into labelValues, -1 when it has none */
  label: Int32Array;
  labelValues: string[];
  models: string[];
  dtypes: string[];
}

export function readIndexPart(t: Table, file: string): IndexPart {
  const { dim, chunks } = checkedEmbedding(t, file);
  const label = dictionaryOf(t.getChild('label')!);
  return {
    rows: t.numRows,
    dim,
    embeddings: chunks,
    path: Utf8Column.fromVector(t.getChild('path')!),
    label: label.codes,
    labelValues: label.values,
    models: distinctStrings(t.getChild('model')!),
    dtypes: distinctStrings(t.getChild('dtype')!),
  };
}
