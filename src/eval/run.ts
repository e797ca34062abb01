/**
 * One evaluation run, shared by the CLI and the lab's worker: embed the test split (and the train
 * split for the probe) through THE embedding pipeline, embed every template's prompts once, then
 * score the chosen template set, the ablation sets and each template alone, and fit the probe.
 * Images that cannot be read are counted and named in `errors`; accuracies are over the rest.
 */
import type { RgbImage } from '../data/image';
import { embedClasses } from '../clip/zeroshot';
import type { ImageTextModel } from '../models/model';
import { embedImages, type EmbedOptions, type ImageItem } from '../pipeline/embed-images';
import { ensembleRows, zeroShotMetrics } from './metrics';
import { linearProbe, type ProbeReport } from './probe';
import { ablationSets, templateSetName, type DatasetKind, type TemplateChoice } from './prompts';
import type { Split } from './archives';

export interface SplitInput {
  items: ImageItem[];
  labels: ArrayLike<number>;
}

export type Phase = 'text' | 'test' | 'train' | 'probe';

export interface EvalOptions {
  model: Pick<ImageTextModel, 'dim' | 'preprocessorConfig' | 'encodeImages' | 'encodeTexts'>;
  modelName: string;
  dataset: DatasetKind;
  split: Split;
  classes: string[];
  /** the dataset's own ensemble (CLIP's templates) */
  ensemble: string[];
  choice: TemplateChoice;
  test: SplitInput;
  /** the train split, for the linear probe */
  train?: SplitInput;
  probeSeed?: number;
  decode: (bytes: Uint8Array, name: string) => Promise<RgbImage>;
  embed?: Pick<EmbedOptions, 'encode' | 'cache' | 'hash' | 'isFatal' | 'batchSize'>;
  /** errors found before embedding (e.g. images outside any class folder) */
  preErrors?: { image: string; error: string }[];
  settings?: Record<string, string | number | boolean>;
  onProgress?: (phase: Phase, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface EvalReport {
  model: string;
  dataset: DatasetKind;
  split: Split;
  n: number;
  top1: number;
  top5: number;
  per_class: { class: string; n: number; top1: number }[];
  templates: {
    set: string;
    list: string[];
    ablation: { set: string; count: number; top1: number; top5: number; delta: number }[];
    per_template: { template: string; top1: number }[];
  };
  probe?: ProbeReport;
  classes: string[];
  confusion: number[][];
  errors: { image: string; error: string }[];
  settings: Record<string, string | number | boolean>;
  cancelled: boolean;
}

async function embedSplit(split: SplitInput, phase: Phase, o: EvalOptions): Promise<{ x: Float32Array; labels: Int32Array; errors: { image: string; error: string }[]; cancelled: boolean }> {
  const dim = o.model.dim;
  const ok: (Float32Array | null)[] = new Array(split.items.length).fill(null);
  const errors: { image: string; error: string }[] = [];
  const summary = await embedImages(split.items, {
    model: o.model,
    decode: o.decode,
    signal: o.signal,
    ...o.embed,
    onBatch: (results, done, total) => {
      for (const r of results) {
        if (r.ok) ok[r.index] = r.embedding;
        else errors.push({ image: split.items[r.index].name, error: r.error });
      }
      o.onProgress?.(phase, done, total);
    },
  });
  const keep = ok.map((e, i) => (e ? i : -1)).filter((i) => i >= 0);
  const x = new Float32Array(keep.length * dim);
  const labels = new Int32Array(keep.length);
  keep.forEach((i, r) => {
    x.set(ok[i]!, r * dim);
    labels[r] = split.labels[i];
  });
  return { x, labels, errors, cancelled: summary.cancelled };
}

export async function runEvaluation(o: EvalOptions): Promise<EvalReport> {
  const C = o.classes.length;
  const user = typeof o.choice === 'object' ? o.choice.user : undefined;
  const sets = ablationSets(o.ensemble, user);
  const chosenName = templateSetName(o.choice);
  const distinct = [...new Set(sets.flatMap((s) => s.templates))];

  // Each template's class vectors, once: every set is an ensemble of these rows.
  const rows = new Map<string, Float32Array>();
  let dim = 0;
  for (const t of distinct) {
    const e = await embedClasses(o.model, o.classes, [t]);
    dim = e.dim;
    rows.set(t, e.embeds);
    o.onProgress?.('text', rows.size, distinct.length);
  }

  const test = await embedSplit(o.test, 'test', o);
  const errors = [...(o.preErrors ?? []), ...test.errors];
  const setMetrics = sets.map((s) => ({ ...s, m: zeroShotMetrics(test.x, test.labels, ensembleRows(s.templates.map((t) => rows.get(t)!), dim), dim) }));
  const chosen = setMetrics.find((s) => s.set === chosenName)!;
  const base = setMetrics[0].m.top1;
  const perTemplate = distinct.map((t) => ({ template: t, top1: zeroShotMetrics(test.x, test.labels, rows.get(t)!, dim).top1 }));

  let probe: ProbeReport | undefined;
  let cancelled = test.cancelled;
  if (o.train && !cancelled) {
    const train = await embedSplit(o.train, 'train', o);
    cancelled = train.cancelled;
    errors.push(...train.errors);
    if (!cancelled && train.labels.length > 0 && test.labels.length > 0) {
      o.onProgress?.('probe', 0, 1);
      probe = linearProbe({ x: train.x, dim, labels: train.labels }, { x: test.x, dim, labels: test.labels }, C, { seed: o.probeSeed ?? 0 });
      o.onProgress?.('probe', 1, 1);
    }
  }

  return {
    model: o.modelName,
    dataset: o.dataset,
    split: o.split,
    n: chosen.m.n,
    top1: chosen.m.top1,
    top5: chosen.m.top5,
    per_class: chosen.m.perClass.map((p, c) => ({ class: o.classes[c], n: p.n, top1: p.n ? p.correct / p.n : 0 })),
    templates: {
      set: chosenName,
      list: chosen.templates,
      ablation: setMetrics.map((s) => ({ set: s.set, count: s.templates.length, top1: s.m.top1, top5: s.m.top5, delta: s.m.top1 - base })),
      per_template: perTemplate,
    },
    ...(probe ? { probe } : {}),
    classes: o.classes,
    confusion: chosen.m.confusion,
    errors,
    settings: o.settings ?? {},
    cancelled,
  };
}

/** Items for embedImages over an in-memory NHWC split: the "file" is the image's own pixels. */
export function arrayItems(images: Uint8Array, width: number, height: number, indices: readonly number[], name: (i: number) => string): { items: ImageItem[]; decode: (bytes: Uint8Array) => Promise<RgbImage> } {
  const per = width * height * 3;
  return {
    items: indices.map((i) => ({ name: name(i), read: async () => images.subarray(i * per, (i + 1) * per) })),
    decode: async (bytes) => ({ width, height, data: bytes }),
  };
}
