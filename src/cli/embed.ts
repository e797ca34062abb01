/**
 * `cli embed --model <folder|hub id|url> [--dtype fp32|fp16|q8] [--batch N] [--shard i/n] [--part-rows N]
 *   --out <dir> <files, folders or list files>` (or `--text "<prompt>" …` instead of inputs)
 *
 * Embeds a collection into Parquet part files (`part-<shard>-<k>.parquet`, schema in
 * src/index-store/schema.ts) through THE embedding pipeline (src/pipeline/embed-images.ts), streaming:
 * rows are written every --part-rows, so memory holds one part whatever the input count.
 * --shard i/n keeps a deterministic, balanced share of the sorted inputs (src/index-store/shard.ts).
 * A rerun skips every input already in a part file of --out (resumable after a kill).
 * Each run ends by rewriting `_manifest.json` (the part files present, for the lab's import by URL).
 * Unreadable inputs are logged in `_errors.jsonl` (`_errors-<shard>.jsonl` with --shard; rewritten each run) and the exit code is 2.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { loadImageTextModel, type ImageTextModel, type ModelDtype } from '../models';
import { decodeImageNode } from '../data/decode-node';
import { embedImages } from '../pipeline/embed-images';
import type { IndexRow } from '../index-store/schema';
import { errorsName, parseShard, partName, selectShard, type Shard } from '../index-store/shard';
import { parseFlags } from './args';
import { DTYPES } from './classify';
import { expandEmbedInputs, labelOf, readInput } from './embed-inputs';
import { listParts, readPartKeys, removeTemporaries, writeManifest, writePart } from './index-parquet';
import { parseModelArg } from './model-arg';

const USAGE =
  'usage: cli embed --model <folder or hub id> [--dtype fp32|fp16|q8] [--batch N] [--shard i/n] [--part-rows N] --out <dir> <files, folders or list files> | --text "<prompt>" …';

/** ~40 MB of 512-d float32 per part: small enough to hold, large enough for efficient scans. */
const DEFAULT_PART_ROWS = 20_000;

/** The same hex digest as the lab's (src/runtime/content-hash.ts), synchronously. */
const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function fatal(msg: string): number {
  console.error(`embed: ${msg}\n${USAGE}`);
  return 1;
}

/** `--text` may repeat; util.parseArgs (parseFlags) takes one value per flag, so texts are taken out first. */
function takeTexts(argv: string[]): { texts: string[]; rest: string[] } | { error: string } {
  const texts: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (argv[i] === '--text') {
      if (i + 1 >= argv.length) return { error: '--text needs a value' };
      texts.push(argv[++i]);
    } else if (argv[i].startsWith('--text=')) texts.push(argv[i].slice(7));
    else rest.push(argv[i]);
  }
  return { texts, rest };
}

function positiveInt(name: string, v: string | undefined, dflt: number): number | string {
  if (v === undefined) return dflt;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : `--${name} ${v}: expected a positive whole number`;
}

export async function run(argv: string[]): Promise<number> {
  const t = takeTexts(argv);
  if ('error' in t) return fatal(t.error);
  const p = parseFlags(t.rest, { model: 'string', dtype: 'string', batch: 'string', shard: 'string', out: 'string', 'part-rows': 'string' });
  if ('error' in p) return fatal(p.error);
  const { flags, positionals } = p;
  if (!flags.model) return fatal('missing --model');
  if (!flags.out) return fatal('missing --out <dir>');
  const dtype = (flags.dtype ?? 'fp32') as ModelDtype;
  if (!DTYPES.includes(dtype)) return fatal(`--dtype ${flags.dtype}: expected one of ${DTYPES.join(', ')}`);
  const batch = positiveInt('batch', flags.batch, 8);
  const partRows = positiveInt('part-rows', flags['part-rows'], DEFAULT_PART_ROWS);
  if (typeof batch === 'string') return fatal(batch);
  if (typeof partRows === 'string') return fatal(partRows);
  const shard: Shard | { error: string } = flags.shard ? parseShard(flags.shard) : { index: 0, count: 1 };
  if ('error' in shard) return fatal(shard.error);
  const errorsFileName = errorsName(flags.shard ? shard.index : null);
  if (t.texts.length && positionals.length) return fatal('give either --text prompts or image inputs, not both');
  if (!t.texts.length && !positionals.length) return fatal('no images, folders or list files given (or --text "<prompt>")');
  const source = parseModelArg(flags.model);
  if ('error' in source) return fatal(source.error);
  const modelName = flags.model.replace(/\/+$/, '');
  const out = flags.out;

  // Inputs: expand, sort, keep this shard's share.
  const expanded = t.texts.length ? { paths: t.texts, errors: [] } : await expandEmbedInputs(positionals);
  const mine = selectShard(expanded.paths, shard);

  // Resume: every input already in a part of --out (any shard) is done; parts must share model and dtype.
  await mkdir(out, { recursive: true });
  await removeTemporaries(out);
  const parts = await listParts(out);
  const done = new Set<string>();
  for (const part of parts) {
    const keys = await readPartKeys(join(out, part.name)).catch((e: Error) => e);
    if (keys instanceof Error) return fatal(`${join(out, part.name)}: cannot be read (${keys.message}); remove it and run again`);
    const other = keys.model.findIndex((m, i) => m !== modelName || keys.dtype[i] !== dtype);
    if (other >= 0) return fatal(`${out} already holds embeddings of ${keys.model[other]} (${keys.dtype[other]}), not ${modelName} (${dtype}): use another --out`);
    for (const path of keys.path) done.add(path);
  }
  const todo = mine.filter((x) => !done.has(x));
  let k = parts.filter((x) => x.shard === shard.index).reduce((a, x) => Math.max(a, x.k + 1), 0);
  console.error(`embed: shard ${shard.index}/${shard.count}: ${mine.length} inputs, ${mine.length - todo.length} already in ${out}, ${todo.length} to embed`);

  if (!todo.length && !(shard.index === 0 && expanded.errors.length)) {
    await writeFile(join(out, errorsFileName), ''); // no input of this shard failed
    await writeManifest(out, { model: modelName, dtype, dim: null });
    console.error(`embed: nothing to do`);
    return 0;
  }
  let model: ImageTextModel;
  try {
    model = await loadImageTextModel(source, { dtype, device: 'cpu' });
  } catch (e) {
    return fatal((e as Error).message);
  }

  const errorsFile: FileHandle = await open(join(out, errorsFileName), 'w');
  let errorCount = 0;
  const logError = async (path: string, error: string) => {
    errorCount++;
    console.error(`embed: ${path}: ${error}`);
    await errorsFile.write(JSON.stringify({ path, error }) + '\n');
  };
  // Folder or list-file problems belong to the shard that holds the first input (shard 0), once.
  if (shard.index === 0) for (const e of expanded.errors) await logError(e.path, e.error);

  let rows: IndexRow[] = [];
  let written = 0;
  const t0 = performance.now();
  /** Writes full parts (all of `rows` when `all`): every part but a run's last holds exactly --part-rows. */
  const flush = async (all = false) => {
    while (rows.length >= partRows || (all && rows.length)) {
      const chunk = rows.slice(0, partRows);
      rows = rows.slice(chunk.length);
      const name = partName(shard.index, k++);
      await writePart(out, name, chunk, model.dim);
      written += chunk.length;
      const s = (performance.now() - t0) / 1000;
      console.error(`embed: ${name}: ${chunk.length} rows (${written}/${todo.length}, ${(written / s).toFixed(1)} per s)`);
    }
  };
  const row = (path: string, sha256: string, embedding: Float32Array, width: number | null, height: number | null, label: string | null): IndexRow => ({
    path,
    sha256,
    width,
    height,
    label,
    model: modelName,
    dtype,
    embedding,
  });

  try {
    if (t.texts.length) {
      for (let i = 0; i < todo.length; i += batch) {
        const texts = todo.slice(i, i + batch);
        const e = await model.encodeTexts(texts);
        for (let j = 0; j < texts.length; j++) {
          if (e.truncated[j]) console.error(`embed: "${texts[j]}" is longer than ${model.contextLength} tokens; the model only sees its start`);
          const sha = sha256Hex(new TextEncoder().encode(texts[j]));
          rows.push(row(texts[j], sha, e.embeds.slice(j * model.dim, (j + 1) * model.dim), null, null, null));
        }
        await flush();
      }
    } else {
      // Per-index facts known before the embedding comes back; dropped as soon as the row is made.
      const sha = new Map<number, string>();
      const size = new Map<number, [number, number]>();
      await embedImages(
        todo.map((path, index) => ({
          name: path,
          read: async () => {
            const bytes = await readInput(path);
            sha.set(index, sha256Hex(bytes));
            return bytes;
          },
        })),
        {
          model,
          decode: decodeImageNode,
          batchSize: batch,
          onDecoded: (index, img) => size.set(index, [img.width, img.height]),
          onBatch: async (results) => {
            for (const r of results) {
              const path = todo[r.index];
              if (r.ok) {
                const [w, h] = size.get(r.index)!;
                rows.push(row(path, sha.get(r.index)!, r.embedding, w, h, labelOf(path)));
              } else await logError(path, r.error);
              sha.delete(r.index);
              size.delete(r.index);
            }
            await flush();
          },
        },
      );
    }
    await flush(true);
  } finally {
    await errorsFile.close();
    await model.dispose();
  }
  await writeManifest(out, { model: modelName, dtype, dim: model.dim });
  const s = (performance.now() - t0) / 1000;
  console.error(`embed: done: ${written} rows in ${s.toFixed(1)} s, ${errorCount} error${errorCount === 1 ? '' : 's'} (${join(out, errorsFileName)})`);
  return errorCount ? 2 : 0;
}
