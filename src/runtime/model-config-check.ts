/**
 * Type checks for the config.json fields the image-text families read (src/models/<family>/family.ts),
 * so a config with a string or a list where a number belongs fails at load time with one line naming
 * the field ("config.json: vision_config.image_size must be a positive integer, got \"224\""),
 * instead of a shape error or a RangeError deep in a model run (issue 21). Pure, no I/O.
 */

/** Integer fields (when present); a path is dot-separated from the config's root. */
const POSITIVE_INTEGERS = [
  'projection_dim',
  'text_config.projection_dim',
  'text_config.projection_size',
  'text_config.hidden_size',
  'text_config.max_position_embeddings',
  'text_config.vocab_size',
  'vision_config.hidden_size',
  'vision_config.image_size',
  'vision_config.patch_size',
  'vision_config.num_channels',
] as const;

const FINITE_NUMBERS = ['logit_scale_init_value', 'logit_bias_init_value'] as const;

/** Largest embedding size or image side believed: beyond it a config is broken, not big. */
const MAX_FIELD = 1 << 16;

function at(o: unknown, path: string): unknown {
  let v = o;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** The first problem with config.json's types, as one line starting "config.json: ", or null. */
export function modelConfigProblem(config: unknown): string | null {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return 'config.json: expected a JSON object';
  for (const section of ['text_config', 'vision_config']) {
    const s = (config as Record<string, unknown>)[section];
    if (s !== undefined && s !== null && (typeof s !== 'object' || Array.isArray(s))) return `config.json: ${section} must be an object, got ${JSON.stringify(s)}`;
  }
  for (const path of POSITIVE_INTEGERS) {
    const v = at(config, path);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_FIELD) {
      return `config.json: ${path} must be a positive integer (at most ${MAX_FIELD}), got ${JSON.stringify(v)}`;
    }
  }
  for (const path of FINITE_NUMBERS) {
    const v = at(config, path);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) return `config.json: ${path} must be a number, got ${JSON.stringify(v)}`;
  }
  const type = at(config, 'model_type');
  if (type !== undefined && typeof type !== 'string') return `config.json: model_type must be a string, got ${JSON.stringify(type)}`;
  return null;
}
