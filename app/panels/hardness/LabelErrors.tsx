import { useId, useRef } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useHardness } from '../../stores/hardness';
import { Thumb } from './Thumb';
import type { Derived } from './derive';

const MAX_SUSPECTS = 100;

/** Suspected label errors with one-click relabel / exclude; fixes listed with undo. */
export function LabelErrors({ d, classes }: { d: Derived; classes: string[] }) {
  const m = useMessages();
  const f = useFormat();
  const h = useHardness();
  const ids = { avh: useId(), conf: useId() };
  const fixed = d.rows.filter((r) => r.excluded || r.labelSource === 'relabelled');
  const box = useRef<HTMLDivElement>(null);
  // A fixed suspect leaves the list: focus moves to the same button of the suspect taking its place
  // (else to the fix's Undo), so a keyboard user does not fall back to the top of the page.
  const fix = (i: number, path: string, testId: string, apply: () => void) => {
    apply();
    requestAnimationFrame(() => {
      const same = box.current?.querySelectorAll<HTMLButtonElement>(`[data-testid="hard-suspect"] [data-testid="${testId}"]`);
      const next = same?.length ? same[Math.min(i, same.length - 1)] : null;
      const undo = [...(box.current?.querySelectorAll<HTMLElement>('[data-testid="hard-fixed-item"]') ?? [])].find((e) => e.dataset.name === path)?.querySelector('button');
      (next ?? undo)?.focus();
    });
  };
  return (
    <div ref={box}>
      <div className="form-grid hard-thresholds">
        <label htmlFor={ids.avh}>{m.hardness.minAvh}</label>
        <input id={ids.avh} type="number" min={0} max={1} step={0.01} value={h.minAvh} onChange={(e) => h.setThresholds({ minAvh: Number(e.target.value) })} data-testid="hard-min-avh" />
        <label htmlFor={ids.conf}>{m.hardness.minConfidence}</label>
        <input id={ids.conf} type="number" min={0} max={1} step={0.05} value={h.minConfidence} onChange={(e) => h.setThresholds({ minConfidence: Number(e.target.value) })} data-testid="hard-min-conf" />
      </div>
      <p className="help">{m.hardness.suspectsHelp}</p>
      {d.suspects.length === 0 ? (
        <p className="empty-state" data-testid="hard-no-suspects">{m.hardness.noSuspects}</p>
      ) : (
        <ul className="hard-suspects" data-testid="hard-suspects">
          {/* the highest-AVH ones: a large set (a BatchNorm run's training images) can flag thousands */}
          {d.suspects.slice(0, MAX_SUSPECTS).map((s, i) => (
            <li key={s.row.data.item.id} data-testid="hard-suspect" data-name={s.row.path}>
              <Thumb item={s.row.data.item} />
              <span className="hard-name">
                {s.row.path}
                <span className="muted small">
                  {' '}
                  · {fmt(m.hardness.suspectLine, { label: classes[s.label], predicted: classes[s.predicted], conf: f.pct(s.confidence, 0), avh: f.num(s.avh, 3) })}
                </span>
              </span>
              <button type="button" className="small" onClick={() => fix(i, s.row.path, 'hard-relabel', () => h.relabelTo(s.row.path, classes[s.predicted]))} data-testid="hard-relabel">
                {fmt(m.hardness.relabelTo, { label: classes[s.predicted] })}
              </button>
              <button type="button" className="ghost small" onClick={() => fix(i, s.row.path, 'hard-exclude', () => h.exclude(s.row.path))} data-testid="hard-exclude">
                {m.hardness.exclude}
              </button>
            </li>
          ))}
        </ul>
      )}
      {d.suspects.length > MAX_SUSPECTS && (
        <p className="help" data-testid="hard-suspects-more">
          {fmt(m.hardness.suspectsShown, { shown: MAX_SUSPECTS, n: d.suspects.length })}
        </p>
      )}
      {fixed.length > 0 && (
        <div className="hard-fixed" data-testid="hard-fixed">
          <h4>{fmt(m.hardness.fixedHeading, { n: fixed.length })}</h4>
          <ul>
            {fixed.map((r) => (
              <li key={r.data.item.id} data-testid="hard-fixed-item" data-name={r.path} data-status={r.excluded ? 'excluded' : 'relabelled'}>
                {r.path}: {r.excluded ? m.hardness.excludedTag : fmt(m.hardness.relabelledTo, { label: classes[r.label] })}{' '}
                <button type="button" className="link" onClick={() => h.restore(r.path)}>
                  {m.hardness.undo}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="ghost small" onClick={() => h.resetFixes()}>
            {m.hardness.undoAll}
          </button>
        </div>
      )}
    </div>
  );
}
