/**
 * `cli classify --model <folder|hub id|url> [--labels "cat,dog"] [--template "a photo of a {}."]
 *   [--ensemble cifar10|cifar100|imagenet] [--dtype fp32|fp16|q8] [--json] <files or folders>`
 * Zero-shot classification over the same core as the browser lab, for any model family: the JSON
 * says `"scoring": "softmax"` (CLIP: probabilities over the classes) or `"sigmoid"` (SigLIP: each
 * class on its own).
 * Exit codes: 0 every input classified, 2 some input failed, 1 fatal (flags, model, labels).
 */
import { loadImageTextModel, type ImageTextModel, type ModelDtype } from '../models';
import {
  DEFAULT_TEMPLATE,
  embedClasses,
  ENSEMBLE_NAMES,
  isEnsembleName,
  loadEnsemble,
  parseLabels,
  scoreImage,
  validateLabels,
  validateTemplates,
} from '../clip/zeroshot';
import type { ScoringKind } from '../models/scoring';
import { parseFlags } from './args';
import { embedInputs } from './image-inputs';
import { parseModelArg } from './model-arg';

const USAGE =
  'usage: cli classify --model <folder or hub id> [--labels "cat,dog"] [--template "a photo of a {}."] ' +
  `[--ensemble ${ENSEMBLE_NAMES.join('|')}] [--dtype fp32|fp16|q8] [--json] <files or folders>`;

export const DTYPES: readonly ModelDtype[] = ['fp32', 'fp16', 'q8'];

type Result = { image: string; probs: number[]; logits: number[] } | { image: string; error: string };

function fatal(msg: string): number {
  console.error(`classify: ${msg}\n${USAGE}`);
  return 1;
}

export async function run(argv: string[]): Promise<number> {
  const p = parseFlags(argv, { model: 'string', labels: 'string', template: 'string', ensemble: 'string', dtype: 'string', json: 'boolean' });
  if ('error' in p) return fatal(p.error);
  const { flags, positionals: inputs } = p;
  if (!flags.model) return fatal('missing --model');
  const dtype = (flags.dtype ?? 'fp32') as ModelDtype;
  if (!DTYPES.includes(dtype)) return fatal(`--dtype ${flags.dtype}: expected one of ${DTYPES.join(', ')}`);
  if (flags.ensemble !== undefined && !isEnsembleName(flags.ensemble)) {
    return fatal(`--ensemble ${flags.ensemble}: expected one of ${ENSEMBLE_NAMES.join(', ')}`);
  }
  if (inputs.length === 0) return fatal('no images or folders given');
  const source = parseModelArg(flags.model);
  if ('error' in source) return fatal(source.error);

  // Classes and templates: --ensemble gives its templates (and its classes when --labels is absent).
  let labels: string[];
  let templates: string[];
  let presetLabels = false;
  if (flags.ensemble !== undefined && isEnsembleName(flags.ensemble)) {
    const set = await loadEnsemble(flags.ensemble);
    templates = set.templates;
    presetLabels = flags.labels === undefined;
    labels = presetLabels ? set.classes : parseLabels(flags.labels!);
    if (flags.template !== undefined) console.error(`classify: --template is ignored: --ensemble ${flags.ensemble} brings its own templates`);
  } else {
    if (flags.labels === undefined) return fatal(`give --labels "cat,dog" or --ensemble ${ENSEMBLE_NAMES.join('|')}`);
    labels = parseLabels(flags.labels);
    templates = [flags.template ?? DEFAULT_TEMPLATE];
  }
  const problems = [...validateLabels(labels, { allowDuplicates: presetLabels }), ...validateTemplates(templates)];
  if (problems.length) return fatal(problems.join('; '));

  let model: ImageTextModel;
  try {
    model = await loadImageTextModel(source, { dtype, device: 'cpu' });
  } catch (e) {
    return fatal((e as Error).message);
  }
  try {
    const classes = await embedClasses(model, labels, templates);
    if (classes.truncatedPrompts.length) {
      const n = classes.truncatedPrompts.length;
      console.error(`classify: ${n} prompt(s) longer than ${model.contextLength} tokens were cut, e.g. "${classes.truncatedPrompts[0]}"`);
    }
    const embedded = await embedInputs(model, inputs);
    const results: Result[] = embedded.map((e) => {
      if ('error' in e) return { image: e.image, error: e.error };
      const { probs, logits } = scoreImage(e.embedding, classes, model.scoring);
      return { image: e.image, probs, logits };
    });
    const scoring = model.scoring.kind;
    if (flags.json) process.stdout.write(JSON.stringify({ model: flags.model, scoring, labels, results }) + '\n');
    else process.stdout.write(table(labels, results, scoring));
    return results.some((r) => 'error' in r) ? 2 : 0;
  } finally {
    await model.dispose();
  }
}

/** A readable table: each image's top classes with probabilities; errors inline. */
function table(labels: string[], results: Result[], scoring: ScoringKind): string {
  const k = Math.min(3, labels.length);
  const width = Math.min(60, Math.max(5, ...results.map((r) => r.image.length)));
  const what = scoring === 'sigmoid' ? 'sigmoid probability, each class on its own' : 'probability over the classes';
  const lines = [`${'image'.padEnd(width)}  top ${k} (${what})`];
  for (const r of results) {
    const name = r.image.length > width ? '…' + r.image.slice(-(width - 1)) : r.image.padEnd(width);
    if ('error' in r) {
      lines.push(`${name}  ERROR: ${r.error}`);
      continue;
    }
    const top = r.probs
      .map((p, i) => ({ p, i }))
      .sort((a, b) => b.p - a.p)
      .slice(0, k)
      .map(({ p, i }) => `${labels[i]} ${(100 * p).toFixed(1)}%`);
    lines.push(`${name}  ${top.join('   ')}`);
  }
  const failed = results.filter((r) => 'error' in r).length;
  lines.push('', `${results.length - failed} classified, ${failed} failed`);
  return lines.join('\n') + '\n';
}
