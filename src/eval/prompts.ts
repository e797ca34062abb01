/**
 * Class names and templates per dataset, exactly as CLIP's prompts.md (src/clip/presets/): CIFAR-10
 * and CIFAR-100 (18 templates), STL-10 (2), ImageNet (80; also the default for folder trees).
 * The ablation's sets: the class name alone, "a photo of a {}.", the full ensemble, the user's.
 */
import { loadEnsemble, type PromptSet } from '../clip/presets';
import { DEFAULT_TEMPLATE } from '../clip/zeroshot';
import type { ArchiveKind } from './archives';

export type DatasetKind = ArchiveKind | 'folder';
export const DATASET_KINDS: readonly DatasetKind[] = ['cifar10', 'cifar100', 'stl10', 'folder'];

export async function datasetPrompts(kind: DatasetKind): Promise<PromptSet> {
  if (kind === 'stl10') {
    const set = (await import('../clip/presets/stl10.json')).default as PromptSet;
    return { classes: [...set.classes], templates: [...set.templates] };
  }
  return loadEnsemble(kind === 'folder' ? 'imagenet' : kind);
}

export type TemplateChoice = 'ensemble' | 'single' | 'name' | { user: string[] };

/** `--templates ensemble|single|name|"<t1>|<t2>"`: anything but the three words is a `|`-separated list. */
export function parseTemplateChoice(text: string): TemplateChoice {
  if (text === 'ensemble' || text === 'single' || text === 'name') return text;
  return { user: text.split('|').map((t) => t.trim()).filter((t) => t !== '') };
}

export function templateSetName(choice: TemplateChoice): string {
  return typeof choice === 'string' ? choice : 'user';
}

/** The ablation's template sets, in order: name, single, ensemble, then the user's when given. */
export function ablationSets(ensemble: readonly string[], user?: readonly string[]): { set: string; templates: string[] }[] {
  const sets = [
    { set: 'name', templates: ['{}'] },
    { set: 'single', templates: [DEFAULT_TEMPLATE] },
    { set: 'ensemble', templates: [...ensemble] },
  ];
  if (user?.length) sets.push({ set: 'user', templates: [...user] });
  return sets;
}
