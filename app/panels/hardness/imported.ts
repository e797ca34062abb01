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

export function importedDataset(d: IndexHardnessData, info: { classes: string[]; scoring: Scoring; model: string; dtype: string; key: string }): Dataset {
  const C = info.classes.length;
  const at = new Map(info.classes.map((c, i) => [c, i]));
  const items: DataItem[] = d.paths.map((path, r) => {
    const label = d.labels[r];
    const logits = Array.from({ length: C }, (_, k) => logitOf(d.cosines[r * C + k], info.scoring));
    const item: ImageItem = { id: `index-${r}`, path, name: path.split(/[/\\]/).pop() ?? path, ...(label !== null ? { label } : {}), size: 0 };
    return { item, logits, probs: probabilities(logits, info.scoring), label: label === null ? -1 : (at.get(label) ?? -1) };
  });
  return {
    key: `index|${info.key}|${info.model}|${info.classes.join('\u0001')}|${items.length}`,
    classes: info.classes,
    model: info.model,
    dtype: info.dtype,
    scoring: info.scoring,
    items,
    labelled: items.filter((i) => i.label >= 0).length,
    // the stored embeddings (probe, self-training, label issues); class vectors are the prompts' (zero-shot)
    vectors: { dim: d.dim, features: d.features },
  };
}
