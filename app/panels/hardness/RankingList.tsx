import { useId, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { fmt, useFormat, useMessages } from '../../i18n';
import { Thumb } from './Thumb';
import type { HardRow } from './derive';
import { ImageDetails } from './ImageDetails';
import { useRovingFocus } from '../../components/useRovingFocus';

const ROW_H = 60;

/**
 * Every image, easiest to hardest by AVH (or reversed); only the visible rows are in the DOM.
 * Keyboard: one row is in the tab order (roving focus); arrow keys, Page Up/Down, Home and End move
 * between rows (scrolling the list), Enter opens the image's details below the list (useRovingFocus:
 * the keys still move rows when a mouse user has scrolled the active row out of the DOM).
 */
export function RankingList({ ranking, classes }: { ranking: HardRow[]; classes: string[] }) {
  const m = useMessages();
  const f = useFormat();
  const [hardFirst, setHardFirst] = useState(false);
  const rows = hardFirst ? [...ranking].reverse() : ranking;
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW_H, overscan: 6 });
  const { active, setActive, onKeyDown, focusActive } = useRovingFocus({
    count: rows.length,
    container: parent,
    rowHeight: ROW_H,
    scrollTo: (i) => v.scrollToIndex(i),
    selector: (i) => `[data-index="${i}"] .hard-open`,
  });
  const [openPath, setOpenPath] = useState<string | null>(null);
  const openIndex = openPath === null ? -1 : rows.findIndex((r) => r.path === openPath);
  const detailsId = useId();
  return (
    <div>
      <div className="toolbar-row">
        <label className="inline">
          <input type="checkbox" checked={hardFirst} onChange={(e) => setHardFirst(e.target.checked)} data-testid="hard-first" style={{ width: 'auto' }} />
          {m.hardness.hardestFirst}
        </label>
        <span className="muted small">{fmt(m.hardness.rankingCount, { n: rows.length })}</span>
      </div>
      <div ref={parent} className="hard-list" role="region" aria-label={m.hardness.rankingHeading} tabIndex={0} onKeyDown={onKeyDown} data-testid="hard-ranking">
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
