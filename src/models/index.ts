/** Loads any image-text model the lab knows: the family comes from config.json (src/models/families.ts). */
import type { ModelSource } from '../runtime/model-source';
import { familyOf } from './families';
import { loadWithSource } from './load-common';
import type { ImageTextModel, LoadOptions } from './model';
import type { ImageEncoder } from './split-model';

export function loadImageTextModel(source: ModelSource, opts: LoadOptions = {}): Promise<ImageTextModel> {
  return loadWithSource(source, opts, familyOf, (family, ctx) => family.load(ctx));
}

/** The vision encoder of any image-text model the lab knows, alone (same files, same outputs as loadImageTextModel's). */
export function loadImageEncoder(source: ModelSource, opts: LoadOptions = {}): Promise<ImageEncoder> {
  return loadWithSource(source, opts, familyOf, (family, ctx) => family.loadVision(ctx));
}

export { ImageEncoder } from './split-model';
export type { FamilyId, ImageTextModel, LoadOptions, LoadProgress, ModelDevice, ModelDtype, TextEmbeddings } from './model';
export { ModelLoadError } from './model';
export { FAMILIES, type Family } from './families';
export { FAMILY_INFO, SUGGESTED_MODELS } from './catalog';
export { cosineOf, logitOf, probabilities, sigmoid, type Scoring, type ScoringKind } from './scoring';
