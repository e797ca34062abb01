import { fmt, useMessages } from '../../i18n';
import { useModel } from '../../stores/model';
import { FAMILY_INFO } from '../../../src/models/catalog';

/** Which model family is loaded and how it scores: softmax over the classes or a sigmoid per class. */
export function FamilyNote() {
  const m = useMessages();
  const loaded = useModel((s) => (s.status === 'ready' ? s.loaded : null));
  if (!loaded) return null;
  const { scale, bias, kind } = loaded.scoring;
  const scoring =
    kind === 'sigmoid'
      ? fmt(m.model.scoringSigmoid, { scale: scale.toFixed(2), bias: `${bias < 0 ? '−' : '+'} ${Math.abs(bias).toFixed(2)}` })
      : fmt(m.model.scoringSoftmax, { scale: scale.toFixed(0) });
  return (
    <p className="muted small" data-testid="model-family" data-family={loaded.family} data-scoring={kind}>
      {fmt(m.model.family, { family: FAMILY_INFO[loaded.family].name })} {scoring}
    </p>
  );
}
