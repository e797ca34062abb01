/**
 * `cli evaluate --model <dir|hub> --dataset cifar10|cifar100|stl10|folder --data <path>
 *   [--split test] [--limit N | --sample N --seed S] [--templates ensemble|single|name|"<t1>|<t2>"]
 *   [--probe] [--dtype …] [--json]`
 * The paper's zero-shot protocol (CLIP's class names and templates, mean of normalised text
 * embeddings) and linear probe on a standard dataset, over the same core as the lab's Evaluate panel.
 * Exit codes: 0 every image used, 2 some images could not be read (each named in "errors"), 1 fatal.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { loadImageTextModel, type ImageTextModel, type ModelDtype } from '../models';
import { validateTemplates } from '../clip/zeroshot';
import { loadEnsemble } from '../clip/presets';
import { decodeImageNode } from '../data/decode-node';
import { DatasetFormatError } from '../data/idx';
import { ARCHIVE_KINDS, DatasetArchiveReader, type ArchiveKind, type ArraySplit, type Split } from '../eval/archives';
import { buildFolderDataset, splitFolderFiles, type FolderDataset, type FolderFile } from '../eval/folder';
import { zipFolderFiles } from '../eval/zip';
import { DATASET_KINDS, datasetPrompts, parseTemplateChoice, type DatasetKind } from '../eval/prompts';
import { arrayItems, runEvaluation, type EvalReport, type Phase, type SplitInput } from '../eval/run';
import { describeSelection, selectIndices, type Selection } from '../eval/select';
import { parseFlags } from './args';
import { DTYPES } from './classify';
import { parseModelArg } from './model-arg';
import { readRegularFile, regularPathProblem } from './read-input';

const USAGE =
  'usage: cli evaluate --model <folder or hub id> --dataset cifar10|cifar100|stl10|folder --data <path> [--split test|train] ' +
  '[--limit N | --sample N --seed S] [--templates ensemble|single|name|"<t1>|<t2>"] [--probe] [--dtype fp32|fp16|q8] [--json]';

function fatal(msg: string): number {
  console.error(`evaluate: ${msg}\n${USAGE}`);
  return 1;
}

const positiveInt = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) && Number(s) > 0 ? Number(s) : null);

/** Streams one split out of an archive file (only that split's entries are kept). */
async function readArchive(path: string, kind: ArchiveKind, split: Split): Promise<ArraySplit> {
  const reader = new DatasetArchiveReader(kind, split, path);
  const size = (await stat(path)).size;
  if (size === 0) throw new DatasetFormatError(path, 'empty file');
  let seen = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const c = chunk as Buffer;
    seen += c.length;
    reader.push(new Uint8Array(c.buffer, c.byteOffset, c.length), seen >= size);
  }
  return reader.finish();
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(root, p, out);
    else out.push(relative(root, p).split(sep).join('/'));
  }
}

/** A folder tree or a zip of one; `train/` and `test/` (or `val/`) at its top, when present, are the splits. */
async function readFolder(root: string, split: Split): Promise<FolderDataset> {
  let all: FolderFile[];
  if ((await stat(root)).isDirectory()) {
    const paths: string[] = [];
    await walk(root, root, paths);
    all = paths.map((p) => ({ path: p, read: () => readRegularFile(join(root, p)) }));
  } else all = zipFolderFiles(new Uint8Array(await readFile(root)), root);
  const files = splitFolderFiles(all, split);
  if (!files) throw new DatasetFormatError(root, 'no train/ subfolder, so there is no train split (the probe needs train/ and test/ or val/)');
  const imagenet = await loadEnsemble('imagenet');
  return buildFolderDataset(files, imagenet.classes);
}

interface Prepared {
  input: SplitInput;
  decode: (bytes: Uint8Array, name: string) => Promise<import('../data/image').RgbImage>;
  classes?: string[];
  preErrors: { image: string; error: string }[];
}

async function prepareSplit(kind: DatasetKind, data: string, split: Split, sel: Selection): Promise<Prepared> {
  if (kind === 'folder') {
    const f = await readFolder(data, split);
    if (f.items.length === 0) throw new DatasetFormatError(data, `no labelled images found (expected class folders of images)`);
    const idx = selectIndices(f.items.map((i) => i.label), sel);
    return {
      input: { items: idx.map((i) => ({ name: f.items[i].name, read: f.items[i].read })), labels: idx.map((i) => f.items[i].label) },
      decode: decodeImageNode,
      classes: f.classes,
      preErrors: f.errors,
    };
  }
  const a = await readArchive(data, kind, split);
  const idx = selectIndices(a.labels, sel);
  const { items, decode } = arrayItems(a.images, a.width, a.height, idx, (i) => `${split}[${i}]`);
  return { input: { items, labels: idx.map((i) => a.labels[i]) }, decode, preErrors: [] };
}

export async function run(argv: string[]): Promise<number> {
  const p = parseFlags(argv, {
    model: 'string',
    dataset: 'string',
    data: 'string',
    split: 'string',
    limit: 'string',
    sample: 'string',
    seed: 'string',
    templates: 'string',
    probe: 'boolean',
    dtype: 'string',
    json: 'boolean',
  });
  if ('error' in p) return fatal(p.error);
  const { flags, positionals } = p;
  if (positionals.length) return fatal(`unexpected argument ${positionals[0]}`);
  if (!flags.model) return fatal('missing --model');
  if (!flags.dataset) return fatal('missing --dataset');
  const kind = flags.dataset as DatasetKind;
  if (!DATASET_KINDS.includes(kind)) return fatal(`--dataset ${flags.dataset}: expected one of ${DATASET_KINDS.join(', ')}`);
  if (!flags.data) return fatal('missing --data');
  const split = (flags.split ?? 'test') as Split;
  if (split !== 'test' && split !== 'train') return fatal(`--split ${flags.split}: expected test or train`);
  const dtype = (flags.dtype ?? 'fp32') as ModelDtype;
  if (!DTYPES.includes(dtype)) return fatal(`--dtype ${flags.dtype}: expected one of ${DTYPES.join(', ')}`);
  let sel: Selection = { kind: 'all' };
  if (flags.limit !== undefined && flags.sample !== undefined) return fatal('give --limit or --sample, not both');
  if (flags.limit !== undefined) {
    const n = positiveInt(flags.limit);
    if (n === null) return fatal(`--limit ${flags.limit}: expected a positive whole number`);
    sel = { kind: 'limit', n };
  }
  if (flags.sample !== undefined) {
    const n = positiveInt(flags.sample);
    if (n === null) return fatal(`--sample ${flags.sample}: expected a positive whole number (images per class)`);
    const seed = flags.seed === undefined ? 0 : /^\d+$/.test(flags.seed) ? Number(flags.seed) : null;
    if (seed === null) return fatal(`--seed ${flags.seed}: expected a whole number`);
    sel = { kind: 'sample', perClass: n, seed };
  } else if (flags.seed !== undefined) return fatal('--seed goes with --sample');
  const choice = parseTemplateChoice(flags.templates ?? 'ensemble');
  if (typeof choice === 'object') {
    const problems = validateTemplates(choice.user);
    if (problems.length) return fatal(`--templates: ${problems.join('; ')}`);
  }
  const dataProblem = regularPathProblem(flags.data, { allowFolder: kind === 'folder', expected: kind === 'folder' ? 'a folder or a zip' : 'an archive' });
  if (dataProblem) return fatal(`--data ${flags.data}: ${dataProblem}`);
  if (kind !== 'folder' && !ARCHIVE_KINDS.includes(kind)) return fatal(`--dataset ${kind}`);
  const source = parseModelArg(flags.model);
  if ('error' in source) return fatal(source.error);

  const test = await prepareSplit(kind, flags.data, split, sel);
  const train = flags.probe ? await prepareSplit(kind, flags.data, 'train', sel) : undefined;
  const prompts = await datasetPrompts(kind);
  const classes = test.classes ?? prompts.classes;
  if (train?.classes && train.classes.join('\n') !== classes.join('\n')) return fatal(`${flags.data}: the train and test folders hold different classes`);

  let model: ImageTextModel;
  try {
    model = await loadImageTextModel(source, { dtype, device: 'cpu' });
  } catch (e) {
    return fatal((e as Error).message);
  }
  let report: EvalReport;
  const started = Date.now();
  let last = 0;
  const onProgress = (phase: Phase, done: number, total: number) => {
    const now = Date.now();
    if (now - last < 2000 && done < total) return;
    last = now;
    const eta = phase === 'test' || phase === 'train' ? ((now - started) / Math.max(1, done)) * (total - done) : 0;
    console.error(`evaluate: ${phase} ${done}/${total}${eta > 0 ? `, about ${Math.ceil(eta / 1000)} s left` : ''}`);
  };
  try {
    report = await runEvaluation({
      model,
      modelName: flags.model,
      dataset: kind,
      split,
      classes,
      ensemble: prompts.templates,
      choice,
      test: test.input,
      train: train?.input,
      decode: test.decode,
      preErrors: [...test.preErrors, ...(train?.preErrors ?? [])],
      settings: { selection: describeSelection(sel), dtype },
      onProgress,
    });
  } finally {
    await model.dispose();
  }
  if (flags.json) {
    const { model: m, dataset, split: s, n, top1, top5, per_class, templates, probe, errors } = report;
    const out = { model: m, dataset, split: s, n, top1, top5, per_class, templates, ...(probe ? { probe } : {}), ...(errors.length ? { errors } : {}) };
    process.stdout.write(JSON.stringify(out) + '\n');
  } else process.stdout.write(text(report));
  return report.errors.length ? 2 : 0;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function text(r: EvalReport): string {
  const lines = [`${r.model} on ${r.dataset} (${r.split}), ${r.n} images, templates: ${r.templates.set}`, `top-1 ${pct(r.top1)}   top-5 ${pct(r.top5)}`, '', 'template set     count  top-1    Δ vs name'];
  for (const a of r.templates.ablation) lines.push(`${a.set.padEnd(16)} ${String(a.count).padStart(5)}  ${pct(a.top1).padStart(7)}  ${(100 * a.delta >= 0 ? '+' : '') + (100 * a.delta).toFixed(2)}`);
  if (r.probe) {
    lines.push('', `linear probe: top-1 ${pct(r.probe.top1)} (C = ${r.probe.C.toPrecision(3)}, chosen on held-out train)`);
    lines.push('shots: ' + r.probe.shots.map((s) => `${s.shots}: ${pct(s.top1)}`).join('   '));
  }
  for (const e of r.errors) lines.push(`ERROR ${e.image}: ${e.error}`);
  return lines.join('\n') + '\n';
}
