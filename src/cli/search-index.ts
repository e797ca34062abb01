/**
 * `cli search --index <dir> --query "<text>" [--model M] [--top 20] [--json]`: exact top-k over every
 * part file of an index made by `cli embed`, scanned by DuckDB (the SQL the README shows). The query
 * is embedded with the index's own model (its `model` column) unless --model names another copy of
 * it; a model or dimension mismatch is refused with the reason.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadImageTextModel, type ImageTextModel, type ModelDtype } from '../models';
import { indexMismatch } from '../index-store/model-match';
import { parseModelArg } from './model-arg';

export interface IndexSearchOptions {
  index: string;
  query: string;
  top: number;
  model?: string;
  dtype?: ModelDtype;
}

export interface IndexSearchResult {
  query: string;
  results: { image: string; score: number }[];
  errors: { image: string; error: string }[];
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Throws an Error whose message is for the user. */
export async function searchIndex(o: IndexSearchOptions): Promise<IndexSearchResult> {
  if (!existsSync(o.index)) throw new Error(`--index ${o.index}: folder not found`);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const parts = sqlString(join(o.index, 'part-*.parquet'));
    const meta = await con
      .runAndReadAll(`SELECT model, dtype, len(embedding) AS dim, count(*) AS n FROM read_parquet(${parts}) GROUP BY ALL ORDER BY n DESC`)
      .catch((e: Error) => {
        throw new Error(`--index ${o.index}: no readable part-*.parquet files (${e.message.split('\n')[0]})`);
      });
    const groups = meta.getRowObjects() as { model: string; dtype: string; dim: number }[];
    if (!groups.length) throw new Error(`--index ${o.index}: the index is empty`);
    const dims = new Set(groups.map((g) => Number(g.dim)));
    if (dims.size > 1) throw new Error(`--index ${o.index}: parts hold embeddings of different dimensions (${[...dims].join(', ')})`);

    const modelArg = o.model ?? groups[0].model;
    const source = parseModelArg(modelArg);
    if ('error' in source) throw new Error(source.error);
    const model: ImageTextModel = await loadImageTextModel(source, { dtype: o.dtype ?? (groups[0].dtype as ModelDtype), device: 'cpu' });
    try {
      const why = indexMismatch({ models: [...new Set(groups.map((g) => g.model))], dim: [...dims][0] }, { label: modelArg, dim: model.dim });
      if (why) throw new Error(`--index ${o.index}: ${why}`);
      const q = await model.encodeTexts([o.query]);
      if (q.truncated[0]) console.error(`search: the query is longer than ${model.contextLength} tokens; the model only sees its start`);
      // Float32 values print exactly as doubles, so the literal is the query itself; DOUBLE math as the
      // in-memory search does (both sides are normalised: the dot product is the cosine).
      const vec = `[${Array.from(q.embeds.subarray(0, model.dim)).join(',')}]::DOUBLE[]`;
      const rows = await con.runAndReadAll(
        `SELECT path AS image, list_dot_product(embedding::DOUBLE[], ${vec}) AS score FROM read_parquet(${parts}) ORDER BY score DESC, path LIMIT ${o.top}`,
      );
      return { query: o.query, results: rows.getRowObjects().map((r) => ({ image: String(r.image), score: Number(r.score) })), errors: [] };
    } finally {
      await model.dispose();
    }
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
