/**
 * Zero-shot classification as in the CLIP paper: class prompts from templates, prompt ensembling,
 * then the model family's scoring (CLIP: 100 x cosine, softmax over classes; SigLIP: scale x cosine
 * + bias, a sigmoid per class; see src/models/scoring.ts).
 */
import type { ImageTextModel } from '../models/model';
import { logitOf, probabilities, type Scoring } from '../models/scoring';
import { dot, normalizeRows } from '../math/vector';

export const DEFAULT_TEMPLATE = 'a photo of a {}.';

export { ENSEMBLE_NAMES, loadEnsemble, isEnsembleName, type EnsembleName, type PromptSet } from './presets';

/**
 * Splits a user's label text: one class per line and/or comma-separated, each trimmed.
 * Blank lines are skipped; an empty entry between commas is kept so validation can name it.
 */
export function parseLabels(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => line.split(',').map((s) => s.trim()));
}

/**
 * Checks a class list. Returns error messages (empty when the list is usable): no labels,
 * an empty or blank label, surrounding whitespace, duplicates (case-insensitive: CLIP's tokenizer
 * lowercases, so "Cat" and "cat" are the same prompt).
 * `allowDuplicates` is for CLIP's own ImageNet names, which repeat two names for distinct classes
 * ("missile" 657/744, "sunglasses" 836/837): the indices stay meaningful.
 */
export function validateLabels(labels: readonly string[], { allowDuplicates = false } = {}): string[] {
  const errors: string[] = [];
  if (labels.length === 0) errors.push('no labels given: at least one class name is needed');
  const seen = new Map<string, number>();
  labels.forEach((l, i) => {
    if (l.trim() === '') errors.push(`label ${i + 1} is empty`);
    else if (l !== l.trim()) errors.push(`label ${i + 1} ("${l}") has leading or trailing whitespace`);
    const key = l.trim().toLowerCase();
    if (key === '') return;
    const first = seen.get(key);
    if (first !== undefined && !allowDuplicates) errors.push(`duplicate label "${l.trim()}" (labels ${first + 1} and ${i + 1})`);
    else seen.set(key, i);
  });
  return errors;
}

/** Checks templates: each must contain `{}` exactly where the class name goes. */
export function validateTemplates(templates: readonly string[]): string[] {
  const errors: string[] = [];
  if (templates.length === 0) errors.push('no templates given');
  templates.forEach((t, i) => {
    if (!t.includes('{}')) errors.push(`template ${i + 1} ("${t}") has no {} placeholder for the class name`);
  });
  return errors;
}

export function fillTemplate(template: string, label: string): string {
  return template.split('{}').join(label);
}

export interface ClassEmbeddings {
  labels: string[];
  /** [labels, dim], L2-normalised rows */
  embeds: Float32Array;
  dim: number;
  /** prompts that exceeded the model's context length and were cut */
  truncatedPrompts: string[];
}

/**
 * Per class: the mean of the L2-normalised text embeddings over the templates, normalised again
 * (CLIP's prompt ensembling). With one template it is simply that prompt's embedding.
 */
/** Upper bound on prompts per text-model call (see embedClasses). */
const PROMPTS_PER_CALL = 256;

export async function embedClasses(
  model: Pick<ImageTextModel, 'encodeTexts'>,
  labels: readonly string[],
  templates: readonly string[] = [DEFAULT_TEMPLATE],
  onProgress?: (done: number, total: number) => void,
): Promise<ClassEmbeddings> {
  let dim = 0;
  let out = new Float32Array(0);
  const truncatedPrompts: string[] = [];
  // Classes go to the text model in groups of about PROMPTS_PER_CALL prompts: one call per class
  // cost 4.6 s against 1.6 s for the same 10 prompts in one call (bench, ViT-B/32), while groups
  // keep memory flat for ImageNet (1000 classes x 80 templates).
  const perCall = Math.max(1, Math.floor(PROMPTS_PER_CALL / templates.length));
  for (let c0 = 0; c0 < labels.length; c0 += perCall) {
    const group = labels.slice(c0, c0 + perCall);
    const prompts = group.flatMap((label) => templates.map((t) => fillTemplate(t, label)));
    const e = await model.encodeTexts(prompts);
    if (c0 === 0) {
      dim = e.dim;
      out = new Float32Array(labels.length * dim);
    }
    e.truncated.forEach((t, i) => t && truncatedPrompts.push(prompts[i]));
    for (let g = 0; g < group.length; g++) {
      const c = c0 + g;
      for (let t = 0; t < templates.length; t++) {
        const p = g * templates.length + t;
        for (let j = 0; j < dim; j++) out[c * dim + j] += e.embeds[p * dim + j] / templates.length;
      }
    }
    onProgress?.(c0 + group.length, labels.length);
  }
  return { labels: [...labels], embeds: normalizeRows(out, dim), dim, truncatedPrompts };
}

export interface ZeroShotScores {
  /** scale * cosine + bias, in label order */
  logits: number[];
  probs: number[];
}

/** Scores one L2-normalised image embedding against the class embeddings, as the model family does. */
export function scoreImage(image: ArrayLike<number>, classes: ClassEmbeddings, scoring: Scoring, imageOffset = 0): ZeroShotScores {
  const logits = classes.labels.map((_, c) => logitOf(dot(image, classes.embeds, imageOffset, c * classes.dim, classes.dim), scoring));
  return { logits, probs: probabilities(logits, scoring) };
}

/** Scores N packed image embeddings [N, dim]. */
export function scoreImages(images: Float32Array, classes: ClassEmbeddings, scoring: Scoring): ZeroShotScores[] {
  const n = images.length / classes.dim;
  return Array.from({ length: n }, (_, i) => scoreImage(images, classes, scoring, i * classes.dim));
}
