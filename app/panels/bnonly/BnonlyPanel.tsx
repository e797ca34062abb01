import { PanelIntro } from '../../components/PanelIntro';
import { useMessages } from '../../i18n';

/** Placeholder: the interactive view is added by the bnonly panel's own work. */
export default function BnonlyPanel() {
  const m = useMessages();
  return (
    <>
      <PanelIntro text={m.bnonly} />
      <p className="empty-state">{m.common.comingSoon}</p>
    </>
  );
}
