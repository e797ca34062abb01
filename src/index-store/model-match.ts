/**
 * Whether an index's embeddings belong to the loaded model. The index stores `--model` as given
 * (a folder, a Hub id or a Hub-layout URL); the lab knows a model as `org/name` or a folder name,
 * so both sides are compared on their last two path segments (one when either has only one).
 */

export function modelKey(model: string): string[] {
  return model
    .replace(/\/resolve\/main\/?$/, '')
    .split(/[/\\]+/)
    .filter(Boolean)
    .slice(-2);
}

export function sameModel(a: string, b: string): boolean {
  const ka = modelKey(a);
  const kb = modelKey(b);
  const n = Math.min(ka.length, kb.length, 2);
  return n > 0 && ka.slice(-n).join('/') === kb.slice(-n).join('/');
}

/** The reason an index cannot be used with this model, or null when it can. */
export function indexMismatch(index: { models: string[]; dim: number }, loaded: { label: string; dim: number }): string | null {
  const other = index.models.find((m) => !sameModel(m, loaded.label));
  if (other !== undefined) return `the index was made with model ${other}, the loaded model is ${loaded.label}`;
  if (index.dim !== loaded.dim) return `the index holds ${index.dim}-dimensional embeddings, the loaded model gives ${loaded.dim}`;
  return null;
}
