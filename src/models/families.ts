/**
 * The one table of image-text model families, keyed by config.json's `model_type` (the way
 * transformers.js registers its model classes). A new family = a folder src/models/<family>/ with
 * its loader, its row in FAMILY_INFO (src/models/catalog.ts: name, scoring, model types) and its
 * loader here.
 */
import type { PretrainedConfig } from '@huggingface/transformers';
import { loadClipFamily } from './clip/family';
import type { LoadContext } from './load-common';
import { modelConfigProblem } from '../runtime/model-config-check';
import { FAMILY_INFO } from './catalog';
import type { FamilyId, ImageTextModel } from './model';
import type { ScoringKind } from './scoring';
import { loadSiglipFamily } from './siglip/family';

export interface Family {
  id: FamilyId;
  /** config.json `model_type` values this family loads */
  modelTypes: readonly string[];
  name: string;
  scoring: ScoringKind;
  load(ctx: LoadContext): Promise<ImageTextModel>;
}

const LOADERS: Record<FamilyId, Family['load']> = { clip: loadClipFamily, siglip: loadSiglipFamily };

export const FAMILIES: readonly Family[] = (Object.keys(LOADERS) as FamilyId[]).map((id) => ({ id, ...FAMILY_INFO[id], load: LOADERS[id] }));

export function familyOf(config: PretrainedConfig): Family {
  const c = config as unknown as { model_type?: string; text_config?: unknown; vision_config?: unknown };
  const type = c.model_type ?? 'unknown';
  const f = FAMILIES.find((x) => x.modelTypes.includes(type));
  if (!f) {
    const known = FAMILIES.flatMap((x) => x.modelTypes).join(', ');
    throw new Error(`config.json describes a model of type "${type}", which the lab cannot load (image-text models it knows: ${known})`);
  }
  if (!c.text_config || !c.vision_config) throw new Error(`config.json of a ${f.name} model has no text_config and vision_config`);
  const bad = modelConfigProblem(config);
  if (bad) throw new Error(bad);
  return f;
}
