import { useId, useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useSegment } from '../../stores/segment';
import { useSegModel } from '../../stores/segment-model';
import { useErrorText } from '../../i18n/errors';
import { plural } from '../../i18n/plural';

/** Type prompts (Enter adds one); each gets a colour, a visibility switch and its status. */
export function PromptList() {
  const m = useMessages();
  const f = useFormat();
  const errText = useErrorText();
  const s = useSegment();
  const modelReady = useSegModel((x) => x.status === 'ready');
  const [text, setText] = useState('');
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const inputId = useId();
  const add = () => {
    const t = text.trim();
    if (!t) return;
    // The store keeps one mask per prompt text: say so instead of dropping the repeat silently.
    if (s.prompts.some((p) => p.text === t)) {
      setDuplicate(t);
      return;
    }
    setDuplicate(null);
    setText('');
    void s.addPrompt(t);
  };
  return (
    <div>
      <form
        className="seg-add"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label htmlFor={inputId}>{m.segment.promptLabel}</label>
        <div className="seg-add-row">
          <input id={inputId} value={text} onChange={(e) => {
              setText(e.target.value);
              setDuplicate(null);
            }} placeholder={m.segment.promptPlaceholder} data-testid="seg-prompt-input" maxLength={500} />
          <button type="submit" className="primary" disabled={!text.trim()} data-testid="seg-add-prompt">
            {m.segment.add}
          </button>
        </div>
        <p className="help">{m.segment.promptHelp}</p>
        {duplicate && (
          <p className="warn small" role="status" data-testid="seg-duplicate">
            {fmt(m.segment.duplicatePrompt, { prompt: duplicate })}
          </p>
        )}
      </form>
      {s.prompts.length === 0 ? (
        <p className="empty-state">{m.segment.noPrompts}</p>
      ) : (
        <ul className="seg-prompts" data-testid="seg-prompts">
          {s.prompts.map((p) => {
            const done = s.done.includes(p.text);
            const prob = s.probe?.probs[p.id];
            return (
              <li key={p.id} data-testid="seg-prompt" data-prompt={p.text} data-done={done} data-prob={prob ?? ''}>
                <input type="color" value={p.color} onChange={(e) => s.updatePrompt(p.id, { color: e.target.value })} aria-label={fmt(m.segment.colorOf, { prompt: p.text })} />
                <label className="inline seg-prompt-text">
                  <input type="checkbox" checked={p.visible} onChange={(e) => s.updatePrompt(p.id, { visible: e.target.checked })} />
                  <span>{p.text}</span>
                </label>
                <span className="muted small">
                  {prob !== undefined && Number.isFinite(prob) ? f.pct(prob, 1) : done ? '✓' : s.running ? m.segment.running : modelReady && s.image ? '…' : m.segment.pending}
                </span>
                <button type="button" className="ghost small" onClick={() => s.removePrompt(p.id)} aria-label={fmt(m.segment.removePrompt, { prompt: p.text })}>
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div aria-live="polite" className="status-line">
        {s.running && <p className="muted" data-testid="seg-running">{m.segment.running}</p>}
        {!s.running && s.lastRun && s.lastRun.computed.length > 0 && (
          <p className="muted small" data-testid="seg-last-run" data-computed={s.lastRun.computed.length}>
            {plural(m.segment.ran, s.lastRun.computed.length, f.locale, { s: f.num(s.lastRun.seconds, 2), total: s.prompts.length })}
          </p>
        )}
        {s.runError && (
          <p className="error" role="alert" data-testid="seg-run-error">
            {fmt(m.segment.runFailed, { message: errText(s.runError) })}
          </p>
        )}
        {s.notices.map((n, i) => (
          <p key={i} className="warn small">
            {n}
          </p>
        ))}
      </div>
    </div>
  );
}
