/**
 * The Evaluate worker: streams a dataset archive (one pass; test and, for the probe, train kept),
 * and runs the shared evaluation (src/eval/run.ts) through THE embedding pipeline, with the CLIP
 * worker's model over a MessagePort (its model queue, one copy in memory): images are decoded and
 * preprocessed here, only the pixels go to the CLIP worker's encoder.
 */
import * as Comlink from 'comlink';
import { DatasetArchiveReader, type ArchiveKind, type ArraySplit, type Split } from '../../src/eval/archives';
import { buildFolderDataset, splitFolderFiles, type FolderFile } from '../../src/eval/folder';
import { zipFolderFiles } from '../../src/eval/zip';
import { loadEnsemble } from '../../src/clip/presets';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { DatasetFormatError } from '../../src/data/idx';
import type { SplitInput } from '../../src/eval/run';
import type { RgbImage } from '../../src/data/image';
import { datasetPrompts } from '../../src/eval/prompts';
import { arrayItems, runEvaluation } from '../../src/eval/run';
import { referenceRows } from '../../src/eval/reference';
import { describeSelection, selectIndices } from '../../src/eval/select';
import { rawPreprocessorConfig } from '../../src/eval/preprocessor-raw';
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';
import type { EvalEvent, EvalRequest, EvalWorkerApi } from './eval-protocol';

let clip: Comlink.Remote<ClipWorkerApi> | null = null;
let abort: AbortController | null = null;

async function readSplits(req: EvalRequest & { file: Blob; dataset: ArchiveKind }, onEvent: (e: EvalEvent) => void | Promise<void>, signal: AbortSignal): Promise<{ test: ArraySplit; train?: ArraySplit }> {
  const test = new DatasetArchiveReader(req.dataset, req.split, req.fileName);
  const train = req.probe ? new DatasetArchiveReader(req.dataset, 'train', req.fileName) : null;
  const total = req.file.size;
  const reader = req.file.stream().getReader();
  let seen = 0;
  let last = 0;
  for (;;) {
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.length;
    test.push(value, seen >= total);
    train?.push(value, seen >= total);
    if (seen - last > 4 << 20 || seen >= total) {
      last = seen;
      await onEvent({ type: 'read', done: seen, total });
    }
  }
  if (total === 0) test.push(new Uint8Array(0), true);
  return { test: test.finish(), train: train?.finish() };
}

interface Prepared {
  input: SplitInput;
  decode: (bytes: Uint8Array, name: string) => Promise<RgbImage>;
}

function fromArray(s: ArraySplit, req: EvalRequest): Prepared {
  const idx = selectIndices(s.labels, req.selection);
  const { items, decode } = arrayItems(s.images, s.width, s.height, idx, (i) => `${req.fileName}: ${s.split}[${i}]`);
  return { input: { items, labels: idx.map((i) => s.labels[i]) }, decode };
}

const api: EvalWorkerApi = {
  attachClip(port) {
    clip = Comlink.wrap<ClipWorkerApi>(port);
  },

  cancel() {
    abort?.abort();
  },

  async run(req, onEvent) {
    if (!clip) throw new Error('no model loaded: load one in the CLIP panel first');
    const remote = clip;
    abort?.abort();
    const ac = new AbortController();
    abort = ac;
    const t0 = performance.now();
    const prompts = await datasetPrompts(req.dataset);
    let classes = prompts.classes;
    let test: Prepared;
    let train: Prepared | undefined;
    const preErrors: { image: string; error: string }[] = [];
    if (req.dataset === 'folder') {
      const all: FolderFile[] = req.files
        ? req.files.map((f) => ({ path: f.path, read: async () => new Uint8Array(await f.file.arrayBuffer()) }))
        : req.file
          ? zipFolderFiles(new Uint8Array(await req.file.arrayBuffer()), req.fileName)
          : [];
      const imagenet = (await loadEnsemble('imagenet')).classes;
      const folder = async (split: Split) => {
        const files = splitFolderFiles(all, split);
        if (!files) throw new DatasetFormatError(req.fileName, 'no train/ folder, so there is no train split (the probe needs train/ and test/ or val/)');
        const d = await buildFolderDataset(files, imagenet);
        if (!d.items.length) throw new DatasetFormatError(req.fileName, `no labelled images in the ${split} split (expected class folders of images)`);
        preErrors.push(...d.errors);
        const idx = selectIndices(d.items.map((i) => i.label), req.selection);
        return { classes: d.classes, input: { items: idx.map((i) => ({ name: d.items[i].name, read: d.items[i].read })), labels: idx.map((i) => d.items[i].label) }, decode: decodeImageBrowser };
      };
      const t = await folder(req.split);
      classes = t.classes;
      test = t;
      if (req.probe) {
        const tr = await folder('train');
        if (tr.classes.join('\n') !== classes.join('\n')) throw new DatasetFormatError(req.fileName, 'the train and test folders hold different classes');
        train = tr;
      }
    } else {
      if (!req.file) throw new Error('no archive given');
      const splits = await readSplits({ ...req, file: req.file, dataset: req.dataset }, onEvent, ac.signal);
      test = fromArray(splits.test, req);
      train = splits.train ? fromArray(splits.train, req) : undefined;
    }
    const pre = await remote.preprocessorConfig();
    const probeText = await remote.embedTexts(['a']);
    const model = {
      dim: probeText.dim,
      preprocessorConfig: rawPreprocessorConfig(pre),
      encodeImages: (px: Float32Array | readonly Float32Array[]) => remote.embedPixels(Array.isArray(px) ? [...px] : [px as Float32Array]),
      encodeTexts: async (texts: readonly string[]) => {
        const e = await remote.embedTexts([...texts]);
        return { embeds: e.embeds, dim: e.dim, count: texts.length, truncated: texts.map((t) => e.truncated.includes(t)) };
      },
    };
    const report = await runEvaluation({
      model,
      modelName: req.model,
      dataset: req.dataset,
      split: req.split,
      classes,
      ensemble: prompts.templates,
      choice: req.choice,
      test: test.input,
      train: train?.input,
      probeSeed: req.seed,
      decode: test.decode,
      preErrors,
      embed: { batchSize: 16 },
      settings: { archive: req.fileName, selection: describeSelection(req.selection), dtype: req.dtype, device: req.device, date: new Date().toISOString() },
      signal: ac.signal,
      onProgress: (phase, done, total) => void onEvent({ type: 'phase', phase, done, total }),
    });
    // A folder of the 1000 ImageNet classes compares with the ImageNet rows.
    const refSet = req.dataset === 'folder' ? (classes.length === 1000 ? 'imagenet' : '') : req.dataset;
    return { report, reference: refSet ? referenceRows(refSet, req.model) : [], seconds: (performance.now() - t0) / 1000 };
  },
};

Comlink.expose(api);
