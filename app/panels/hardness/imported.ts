/**
 * An imported embedding index (made by `cli embed`) as a hardness dataset: its stored embeddings are
 * the z's, the classes are its `label` column's values, and each row's zero-shot logits are the
 * family's scale × cosine(z, class prompt embedding) + bias, so the panel's zero-shot AVH, confidence
 * and probe run on them exactly as on the CLIP panel's classified images, with nothing recomputed.
 */
import { logitOf, probabilities, type Scoring } from '../../../src/models/scoring';
import type { IndexHardnessData } from '../../workers/index-protocol';
import type { ImageItem } from '../../stores/images';
import type { Dataset, DataItem } from './dataset';

export function importedDataset(
  d: IndexHardnessData,
  info: { classes: string[]; scoring: Scoring; model: string; dtype: string; key: string; held?: string },
): Dataset {
  const C = info.classes.length;
  const at = new Map(info.classes.map((c, i) => [c, i]));
  const n = d.paths.length;
  // One light object per row is what the panel's Dataset holds (its lists, charts and requests read
  // DataItem); the arrays in it are C numbers. Labels share the class strings; no per-row copy of the embedding.
  const items = new Array<DataItem>(n);
  let labelled = 0;
  for (let r = 0; r < n; r++) {
    const path = d.paths[r];
    const label = d.labels[r];
    const logits = new Array<number>(C);
    for (let k = 0; k < C; k++) logits[k] = logitOf(d.cosines[r * C + k], info.scoring);
    const item: ImageItem = { id: `index-${r}`, path, name: baseName(path), ...(label !== null ? { label } : {}), size: 0 };
    const cls = label === null ? -1 : (at.get(label) ?? -1);
    if (cls >= 0) labelled++;
    items[r] = { item, logits, probs: probabilities(logits, info.scoring), label: cls };
  }
  return {
    key: `index|${info.key}|${info.model}|${info.classes.join('\u0001')}|${n}`,
    classes: info.classes,
    model: info.model,
    dtype: info.dtype,
    scoring: info.scoring,
    items,
    labelled,
    // the stored embeddings (probe, self-training, label issues); class vectors are the prompts' (zero-shot).
    // `held`: they were handed to the hardness worker once (stores/hardness.ts), so no request carries them.
    vectors: info.held !== undefined ? { dim: d.dim, held: info.held } : { dim: d.dim, features: d.features },
  };
}

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}
