import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { fmt, useFormat, useMessages } from '../../i18n';
import { Thumb } from './Thumb';
import type { HardRow } from './derive';
import { ImageDetails } from './ImageDetails';

const ROW_H = 60;

/**
 * Every image, easiest to hardest by AVH (or reversed); only the visible rows are in the DOM.
 * Keyboard: one row is in the tab order (roving focus); arrow keys, Page Up/Down, Home and End move
 * between rows (scrolling the list), Enter opens the image's details below the list.
 */
export function RankingList({ ranking, classes }: { ranking: HardRow[]; classes: string[] }) {
  const m = useMessages();
  const f = useFormat();
  const [hardFirst, setHardFirst] = useState(false);
  const rows = hardFirst ? [...ranking].reverse() : ranking;
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW_H, overscan: 6 });
  const [activeRaw, setActive] = useState(0);
  const active = Math.max(0, Math.min(activeRaw, rows.length - 1));
  const [openPath, setOpenPath] = useState<string | null>(null);
  const openIndex = openPath === null ? -1 : rows.findIndex((r) => r.path === openPath);
  const detailsId = useId();
  // Set when a key moved the active row: its button takes focus once the virtualizer has rendered it.
  const focusWanted = useRef(false);
  const focusActive = () => {
    focusWanted.current = true;
    v.scrollToIndex(active);
    setActive(active);
  };
  useEffect(() => {
    if (!focusWanted.current) return;
    let tries = 0;
    const tryFocus = () => {
      const b = parent.current?.querySelector<HTMLButtonElement>(`[data-index="${active}"] .hard-open`);
      if (b) {
        focusWanted.current = false;
        b.focus();
      } else if (++tries < 20) requestAnimationFrame(tryFocus);
    };
    tryFocus();
  });
  const onRowKey = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((parent.current?.clientHeight ?? ROW_H) / ROW_H) - 1);
    const to = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: rows.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(rows.length - 1, to));
    focusWanted.current = true;
    setActive(next);
    v.scrollToIndex(next);
  };
  return (
    <div>
      <div className="toolbar-row">
        <label className="inline">
          <input type="checkbox" checked={hardFirst} onChange={(e) => setHardFirst(e.target.checked)} data-testid="hard-first" style={{ width: 'auto' }} />
          {m.hardness.hardestFirst}
        </label>
        <span className="muted small">{fmt(m.hardness.rankingCount, { n: rows.length })}</span>
      </div>
      <div ref={parent} className="hard-list" role="region" aria-label={m.hardness.rankingHeading} tabIndex={0} data-testid="hard-ranking">
        <div role="list" style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((vr) => {
            const r = rows[vr.index];
            return (
              <div
                key={r.data.item.id}
                role="listitem"
                className={`hard-row${r.predicted !== r.label ? ' wrong' : ''}`}
                style={{ transform: `translateY(${vr.start}px)`, height: ROW_H }}
                data-testid="hard-row"
                data-index={vr.index}
                data-name={r.path}
                data-avh={r.avh}
                data-rank={hardFirst ? rows.length - vr.index : vr.index + 1}
              >
                <span className="hard-rank muted">{hardFirst ? rows.length - vr.index : vr.index + 1}</span>
                <Thumb item={r.data.item} />
                <button
                  type="button"
                  className="hard-name hard-open"
                  title={r.path}
                  tabIndex={vr.index === active ? 0 : -1}
                  aria-expanded={vr.index === openIndex}
                  aria-controls={vr.index === openIndex ? detailsId : undefined}
                  onFocus={() => setActive(vr.index)}
                  onKeyDown={onRowKey}
                  onClick={() => {
                    setActive(vr.index);
                    setOpenPath(openPath === r.path ? null : r.path);
                  }}
                  data-testid="hard-open"
                >
                  {r.path}
                  <span className="muted small">
                    {' '}
                    · {fmt(m.hardness.labelIs, { label: classes[r.label] })}
                    {r.labelSource === 'predicted' ? ` (${m.hardness.fromPrediction})` : r.labelSource === 'relabelled' ? ` (${m.hardness.relabelled})` : ''}
                    {r.predicted !== r.label ? ` · ${fmt(m.hardness.predictedIs, { label: classes[r.predicted] })}` : ''}
                  </span>
                </button>
                <span className="hard-num" title={m.hardness.avh}>
                  {f.num(r.avh, 4)}
                </span>
                <span className="hard-num muted" title={m.hardness.confidence}>
                  {f.pct(r.confidence, 1)}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <p className="help">{m.hardness.rankingKeys}</p>
      {openIndex >= 0 && (
        <ImageDetails
          row={rows[openIndex]}
          rank={hardFirst ? rows.length - openIndex : openIndex + 1}
          classes={classes}
          id={detailsId}
          onClose={() => {
            setOpenPath(null);
            focusActive();
          }}
        />
      )}
    </div>
  );
}
