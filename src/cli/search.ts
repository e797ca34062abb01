/**
 * `cli search --model <folder|hub id|url> --query "<text>" [--dtype fp32|fp16|q8] [--json] <files or folders>`
 * Ranks images by cosine similarity to the query's text embedding (the query as typed, no
 * template). Exit codes as in classify: 0 all inputs read, 2 some failed, 1 fatal.
 */
import { loadImageTextModel, type ImageTextModel, type ModelDtype } from '../models';
import { dot } from '../math/vector';
import { parseFlags } from './args';
import { DTYPES } from './classify';
import { embedInputs } from './image-inputs';
import { parseModelArg } from './model-arg';

const USAGE =
  'usage: cli search --model <folder or hub id> --query "<text>" [--dtype fp32|fp16|q8] [--json] <files or folders>\n       cli search --index <dir made by cli embed> --query "<text>" [--top 20] [--model M] [--json]';

function fatal(msg: string): number {
  console.error(`search: ${msg}\n${USAGE}`);
  return 1;
}

export async function run(argv: string[]): Promise<number> {
  const p = parseFlags(argv, { model: 'string', query: 'string', dtype: 'string', json: 'boolean', index: 'string', top: 'string' });
  if ('error' in p) return fatal(p.error);
  const { flags, positionals: inputs } = p;
  if (flags.index !== undefined) return runIndex(flags, inputs);
  if (!flags.model) return fatal('missing --model');
  if (flags.query === undefined || flags.query.trim() === '') return fatal('missing --query "<text>"');
  const dtype = (flags.dtype ?? 'fp32') as ModelDtype;
  if (!DTYPES.includes(dtype)) return fatal(`--dtype ${flags.dtype}: expected one of ${DTYPES.join(', ')}`);
  if (inputs.length === 0) return fatal('no images or folders given');
  const source = parseModelArg(flags.model);
  if ('error' in source) return fatal(source.error);

  let model: ImageTextModel;
  try {
    model = await loadImageTextModel(source, { dtype, device: 'cpu' });
  } catch (e) {
    return fatal((e as Error).message);
  }
  try {
    const q = await model.encodeTexts([flags.query]);
    if (q.truncated[0]) console.error(`search: the query is longer than ${model.contextLength} tokens; the model only sees its start`);
    const embedded = await embedInputs(model, inputs);
    const results: { image: string; score: number }[] = [];
    const errors: { image: string; error: string }[] = [];
    for (const e of embedded) {
      // Both sides are L2-normalised, so the dot product is the cosine.
      if ('error' in e) errors.push(e);
      else results.push({ image: e.image, score: dot(q.embeds, e.embedding, 0, 0, model.dim) });
    }
    // Stable sort: equal scores keep input order.
    results.sort((a, b) => b.score - a.score);
    if (flags.json) process.stdout.write(JSON.stringify({ query: flags.query, results, errors }) + '\n');
    else {
      const lines = results.map((r, i) => `${String(i + 1).padStart(4)}  ${r.score.toFixed(4)}  ${r.image}`);
      lines.push(...errors.map((e) => `   -  ERROR   ${e.image}: ${e.error}`));
      process.stdout.write(lines.join('\n') + '\n');
    }
    return errors.length ? 2 : 0;
  } finally {
    await model.dispose();
  }
}

/** `--index`: the same JSON, over an index made by `cli embed` (src/cli/search-index.ts). */
async function runIndex(flags: { model?: string; query?: string; dtype?: string; json?: boolean; index?: string; top?: string }, inputs: string[]): Promise<number> {
  if (inputs.length) return fatal('--index searches the index only: give no images or folders');
  if (flags.query === undefined || flags.query.trim() === '') return fatal('missing --query "<text>"');
  const top = Number(flags.top ?? 20);
  if (!Number.isInteger(top) || top < 1) return fatal(`--top ${flags.top}: expected a positive whole number`);
  if (flags.dtype !== undefined && !DTYPES.includes(flags.dtype as ModelDtype)) return fatal(`--dtype ${flags.dtype}: expected one of ${DTYPES.join(', ')}`);
  const { searchIndex } = await import('./search-index');
  let out;
  try {
    out = await searchIndex({ index: flags.index!, query: flags.query, top, model: flags.model, dtype: flags.dtype as ModelDtype | undefined });
  } catch (e) {
    return fatal((e as Error).message);
  }
  if (flags.json) process.stdout.write(JSON.stringify(out) + '\n');
  else process.stdout.write(out.results.map((r, i) => `${String(i + 1).padStart(4)}  ${r.score.toFixed(4)}  ${r.image}`).join('\n') + '\n');
  return 0;
}
