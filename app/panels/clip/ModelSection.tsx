import { useMessages } from '../../i18n';
import { useModel, HUB_MODELS, DEFAULT_CLIP_MODEL } from '../../stores/model';
import { ModelSourceSection } from '../../components/model-source/ModelSourceSection';
import { StorageView } from './StorageView';
import { FamilyNote } from './FamilyNote';

/** The image-text model's section (CLIP or SigLIP), its family and scoring, what the browser stores. */
export function ModelSection() {
  const m = useMessages();
  return (
    <ModelSourceSection useStore={useModel} hubModels={HUB_MODELS} defaultId={DEFAULT_CLIP_MODEL} idPrefix="" idleText={m.model.notLoaded}>
      <FamilyNote />
      <StorageView />
    </ModelSourceSection>
  );
}
