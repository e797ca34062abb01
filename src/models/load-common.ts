/**
 * Loading steps every family shares: config.json first (so a wrong id/URL/folder fails with the
 * file's name), the family's files in parallel, errors that name the file and the cause.
 */
import { AutoConfig, type PretrainedConfig } from '@huggingface/transformers';
import { pretrainedId, sourceLabel, sourceRevision, withModelSource, type ModelSource } from '../runtime/model-source';
import { ModelLoadError, type LoadOptions, type ModelDtype } from './model';

export const DTYPE_SUFFIX: Record<ModelDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized' };

/** Error text with the network cause spelled out ("fetch failed" alone does not help anyone). */
export function describeLoadError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // A picked folder's files are served from a pseudo host: name the file, not that URL.
  const missing = /Could not locate file: "https:\/\/model-files\.invalid\/[^"]*?\/resolve\/[^/]+\/([^"]+)"/.exec(e.message);
  if (missing) return `the folder has no file ${missing[1]}`;
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail && !e.message.includes(detail) ? `${e.message} (${detail}; offline? give a model folder instead)` : e.message;
}

/** Names the file an error came from, unless the message already does. */
export function inFile<T>(file: string, p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    throw msg.includes(file) ? e : new Error(`${file}: ${msg}`, { cause: e });
  });
}

/** A picked folder's JSON files must parse: say which one does not (transformers.js does not). */
async function checkJsonFiles(source: ModelSource): Promise<void> {
  if (source.kind !== 'files') return;
  for (const f of ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    const v = source.files.get(f);
    if (v === undefined) continue;
    const text = v instanceof Blob ? await v.text() : new TextDecoder().decode(v);
    try {
      JSON.parse(text);
    } catch (e) {
      throw new Error(`${f} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
}

/** What a family's loader gets: the transformers.js id and options for this source. */
export interface LoadContext {
  id: string;
  label: string;
  config: PretrainedConfig;
  /** options for tokenizer / processor `from_pretrained` */
  common: { revision: string; progress_callback?: (e: unknown) => void };
  /** options for model `from_pretrained` */
  modelOpts: Record<string, unknown>;
  dtype: ModelDtype;
  opts: LoadOptions;
}

/**
 * Runs `load` with the source's files reachable by transformers.js (hub, URL, folder or picked
 * files), after config.json was read; every failure becomes a ModelLoadError naming the model.
 * `pick` chooses the family from the config (throws when none fits).
 */
export async function loadWithSource<F, T>(
  source: ModelSource,
  opts: LoadOptions,
  pick: (config: PretrainedConfig) => F,
  load: (family: F, ctx: LoadContext) => Promise<T>,
): Promise<T> {
  const dtype = opts.dtype ?? 'fp32';
  const id = pretrainedId(source);
  const label = sourceLabel(source);
  const common = { revision: sourceRevision(source), progress_callback: opts.onProgress as ((e: unknown) => void) | undefined };
  return withModelSource(
    source,
    async () => {
      await checkJsonFiles(source);
      const config = await AutoConfig.from_pretrained(id, common);
      const family = pick(config);
      const modelOpts = { ...common, config, dtype, ...(opts.device ? { device: opts.device } : {}) };
      return load(family, { id, label, config, common, modelOpts, dtype, opts });
    },
    opts.signal,
    opts.network,
  ).catch((e: unknown) => {
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw e instanceof ModelLoadError ? e : new ModelLoadError(label, describeLoadError(e), e);
  });
}
