/**
 * Prompt-ensemble presets: CLIP's own class names and templates (from openai/CLIP, MIT), one row
 * per preset. The CLIP panel's preset select, the CLI's --ensemble choices and zero-shot's
 * loadEnsemble all read this table; a new preset is one JSON file here and one row below.
 */

export interface PromptSet {
  classes: string[];
  templates: string[];
}

export interface EnsemblePreset {
  /** the id the CLI (--ensemble) and the panel's select use */
  name: string;
  /** the dataset's name as shown to people */
  label: string;
  /** how many classes and templates load() returns (index.test.ts checks them against the JSON) */
  classes: number;
  templates: number;
  load(): Promise<PromptSet>;
}

async function fromJson(mod: Promise<{ default: unknown }>): Promise<PromptSet> {
  const set = (await mod).default as PromptSet;
  return { classes: [...set.classes], templates: [...set.templates] };
}

export const ENSEMBLE_PRESETS = [
  { name: 'cifar10', label: 'CIFAR-10', classes: 10, templates: 18, load: () => fromJson(import('./cifar10.json')) },
  { name: 'cifar100', label: 'CIFAR-100', classes: 100, templates: 18, load: () => fromJson(import('./cifar100.json')) },
  { name: 'imagenet', label: 'ImageNet', classes: 1000, templates: 80, load: () => fromJson(import('./imagenet.json')) },
] as const satisfies readonly EnsemblePreset[];

export type EnsembleName = (typeof ENSEMBLE_PRESETS)[number]['name'];
export const ENSEMBLE_NAMES: readonly EnsembleName[] = ENSEMBLE_PRESETS.map((p) => p.name);

export function isEnsembleName(name: string): name is EnsembleName {
  return (ENSEMBLE_NAMES as readonly string[]).includes(name);
}

export function ensemblePreset(name: EnsembleName): EnsemblePreset {
  return ENSEMBLE_PRESETS.find((p) => p.name === name)!;
}

/** A preset's class names and templates, loaded on demand (fresh arrays: callers may change them). */
export function loadEnsemble(name: EnsembleName): Promise<PromptSet> {
  return ensemblePreset(name).load();
}
