import { useMessages } from '../../i18n';
import { useSegModel, SEG_HUB_MODELS, DEFAULT_SEG_MODEL } from '../../stores/segment-model';
import { ModelSourceSection } from '../../components/model-source/ModelSourceSection';

/** The CLIPSeg model's section (test ids prefixed `seg-`). */
export function SegModelSection() {
  const m = useMessages();
  return <ModelSourceSection useStore={useSegModel} hubModels={SEG_HUB_MODELS} defaultId={DEFAULT_SEG_MODEL} idPrefix="seg-" idleText={m.segment.notLoaded} />;
}
