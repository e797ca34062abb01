import { useMessages } from '../../i18n';
import { useModel, HUB_MODELS, DEFAULT_CLIP_MODEL } from '../../stores/model';
import { ModelSourceSection } from '../../components/model-source/ModelSourceSection';
import { StorageView } from './StorageView';

/** The CLIP model's section, with what the browser stores below it. */
export function ModelSection() {
  const m = useMessages();
  return (
    <ModelSourceSection useStore={useModel} hubModels={HUB_MODELS} defaultId={DEFAULT_CLIP_MODEL} idPrefix="" idleText={m.model.notLoaded}>
      <StorageView />
    </ModelSourceSection>
  );
}
