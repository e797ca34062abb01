/**
 * The families' names and the Hub ids the model field offers, as plain data: the UI's main thread
 * reads this without pulling transformers.js into its bundle. Each id was checked against the
 * model classes transformers.js 4.3.1 registers (CLIPTextModelWithProjection / SiglipTextModel and
 * their vision twins); 4.3.1 has no `siglip2` model type, so no SigLIP 2 id is offered.
 */
import type { FamilyId } from './model';
import type { ScoringKind } from './scoring';

export const FAMILY_INFO: Record<FamilyId, { name: string; scoring: ScoringKind; modelTypes: readonly string[] }> = {
  clip: { name: 'CLIP', scoring: 'softmax', modelTypes: ['clip'] },
  siglip: { name: 'SigLIP', scoring: 'sigmoid', modelTypes: ['siglip'] },
};

export const SUGGESTED_MODELS: readonly { id: string; family: FamilyId }[] = [
  { id: 'Xenova/clip-vit-base-patch32', family: 'clip' },
  { id: 'Xenova/clip-vit-base-patch16', family: 'clip' },
  { id: 'Xenova/clip-vit-large-patch14', family: 'clip' },
  { id: 'Xenova/siglip-base-patch16-224', family: 'siglip' },
];
