import { PanelIntro } from '../../components/PanelIntro';
import { useMessages } from '../../i18n';

/** Placeholder: the interactive view is added by the segment panel's own work. */
export default function SegmentPanel() {
  const m = useMessages();
  return (
    <>
      <PanelIntro text={m.segment} />
      <p className="empty-state">{m.common.comingSoon}</p>
    </>
  );
}
