import { useId } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useHardness } from '../../stores/hardness';
import { Thumb } from './Thumb';
import { DetailsPanel } from '../../components/DetailsPanel';
import type { HardRow } from './derive';

/** One ranked image in full: its scores, its top classes, and relabel / exclude (Escape closes). */
export function ImageDetails({ row, rank, classes, id, onClose }: { row: HardRow; rank: number; classes: string[]; id: string; onClose(): void }) {
  const m = useMessages();
  const f = useFormat();
  const h = useHardness();
  const selId = useId();
  const top = Array.from(row.probs, (p, i) => ({ p, i }))
    .sort((a, b) => b.p - a.p)
    .slice(0, 3);
  const setLabel = (name: string) => (name === classes[row.originalLabel] ? h.restore(row.path) : h.relabelTo(row.path, name));
  return (
    <DetailsPanel id={id} className="hard-details" testId="hard-details" name={row.path} label={fmt(m.hardness.detailsOf, { name: row.path })} onClose={onClose}>
      <Thumb item={row.data.item} size={128} />
      <div>
        <h4 className="hard-name" title={row.path}>
          {row.path}
        </h4>
        <dl className="hard-facts">
          <dt>{m.hardness.rank}</dt>
          <dd data-testid="hard-details-rank">{rank}</dd>
          <dt>{m.hardness.avh}</dt>
          <dd data-testid="hard-details-avh">{f.num(row.avh, 4)}</dd>
          <dt>{m.hardness.confidence}</dt>
          <dd>{f.pct(row.confidence, 1)}</dd>
          <dt>{m.hardness.entropy}</dt>
          <dd>{f.num(row.entropy, 3)}</dd>
          <dt>{m.hardness.margin}</dt>
          <dd>{f.num(row.margin, 3)}</dd>
          <dt>{m.hardness.topClasses}</dt>
          <dd>{top.map((t) => `${classes[t.i]} ${f.pct(t.p, 1)}`).join(' · ')}</dd>
        </dl>
        <div className="toolbar-row">
          <label htmlFor={selId}>{m.hardness.labelAs}</label>
          <select id={selId} value={classes[row.label]} onChange={(e) => setLabel(e.target.value)} style={{ width: 'auto' }} data-testid="hard-details-label">
            {classes.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="ghost small"
            onClick={() => {
              h.exclude(row.path);
              onClose();
            }}
            data-testid="hard-details-exclude"
          >
            {m.hardness.exclude}
          </button>
          <button type="button" className="ghost small" onClick={onClose} data-testid="hard-details-close">
            {m.hardness.closeDetails}
          </button>
        </div>
      </div>
    </DetailsPanel>
  );
}
