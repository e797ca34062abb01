import type { PanelText } from '../panels/types';
import { useMessages } from '../i18n';

/** The two or three lines on the paper every panel opens with. */
export function PanelIntro({ text }: { text: PanelText }) {
  const m = useMessages();
  return (
    <header className="panel-intro">
      <h2>{text.title}</h2>
      <p className="lead">{text.intro}</p>
      <p className="headline">{text.headline}</p>
      <p className="paper">
        <span className="muted">{m.common.paper}: </span>
        {text.paper}
      </p>
    </header>
  );
}
