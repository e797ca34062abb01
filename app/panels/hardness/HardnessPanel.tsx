import { PanelIntro } from '../../components/PanelIntro';
import { useMessages } from '../../i18n';

/** Placeholder: the interactive view is added by the hardness panel's own work. */
export default function HardnessPanel() {
  const m = useMessages();
  return (
    <>
      <PanelIntro text={m.hardness} />
      <p className="empty-state">{m.common.comingSoon}</p>
    </>
  );
}
