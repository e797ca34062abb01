/** Loads any image-text model the lab knows: the family comes from config.json (src/models/families.ts). */
import type { ModelSource } from '../runtime/model-source';
import { familyOf } from './families';
import { loadWithSource } from './load-common';
import type { ImageTextModel, LoadOptions } from './model';

export function loadImageTextModel(source: ModelSource, opts: LoadOptions = {}): Promise<ImageTextModel> {
  return loadWithSource(source, opts, familyOf, (family, ctx) => family.load(ctx));
}

export type { FamilyId, ImageTextModel, LoadOptions, LoadProgress, ModelDevice, ModelDtype, TextEmbeddings } from './model';
export { ModelLoadError } from './model';
export { FAMILIES, type Family } from './families';
export { FAMILY_INFO, SUGGESTED_MODELS } from './catalog';
export { cosineOf, logitOf, probabilities, sigmoid, type Scoring, type ScoringKind } from './scoring';
