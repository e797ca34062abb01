import { memo, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useSafePreview } from '../../components/useSafePreview';
import { fmt, useFormat, useMessages } from '../../i18n';
import { topK, type Row } from './results-model';
import { useErrorText } from '../../i18n/errors';
import { useRovingFocus } from '../../components/useRovingFocus';
import { CardDetails } from './CardDetails';

const CARD_W = 200;
const ROW_H = 262;
const GAP = 12;

/**
 * Thumbnails with their predictions; only the visible rows are in the DOM (thousands stay smooth).
 * Keyboard: one card's name is in the tab order (roving focus, as in the hardness ranking); arrow keys,
 * Page Up/Down, Home and End move between cards, Enter shows the card's image with every class below the grid.
 */
export function ImageGrid({ rows, classes, label }: { rows: Row[]; classes: string[]; label: string }) {
  const parentRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = parentRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(e.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const cols = Math.max(1, Math.floor((width + GAP) / (CARD_W + GAP)));
  const rowCount = Math.ceil(rows.length / cols);
  const v = useVirtualizer({
    count: rowCount,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_H + GAP,
    overscan: 3,
  });
  const m = useMessages();
  const { active, setActive, onKeyDown, focusActive } = useRovingFocus({
    count: rows.length,
    cols,
    container: parentRef,
    rowHeight: ROW_H + GAP,
    scrollTo: (i) => v.scrollToIndex(Math.floor(i / cols)),
    selector: (i) => `[data-index="${i}"] .card-open`,
  });
  const [openId, setOpenId] = useState<string | null>(null);
  const openIndex = openId === null ? -1 : rows.findIndex((r) => r.item.id === openId);
  const detailsId = useId();
  const toggle = useCallback(
    (i: number, id: string) => {
      setActive(i);
      setOpenId((o) => (o === id ? null : id));
    },
    [setActive],
  );

  return (
    <>
      <div ref={parentRef} className="grid-scroll" data-testid="image-grid" tabIndex={0} aria-label={label} role="region" onKeyDown={onKeyDown}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((vr) => (
            <div
              key={vr.key}
              className="grid-row"
              style={{ transform: `translateY(${vr.start}px)`, gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, height: ROW_H }}
            >
              {rows.slice(vr.index * cols, vr.index * cols + cols).map((r, j) => {
                const i = vr.index * cols + j;
                return (
                  <Card key={r.item.id} row={r} classes={classes} index={i} tabbable={i === active} open={i === openIndex} detailsId={detailsId} onFocusCard={setActive} onToggle={toggle} />
                );
              })}
            </div>
          ))}
        </div>
      </div>
      {rows.length > 0 && <p className="help">{m.clip.gridKeys}</p>}
      {openIndex >= 0 && (
        <CardDetails
          row={rows[openIndex]}
          classes={classes}
          id={detailsId}
          onClose={() => {
            setOpenId(null);
            focusActive();
          }}
        />
      )}
    </>
  );
}

interface CardProps {
  row: Row;
  classes: string[];
  index: number;
  /** the one card name in the tab order */
  tabbable: boolean;
  open: boolean;
  detailsId: string;
  onFocusCard(i: number): void;
  onToggle(i: number, id: string): void;
}

const Card = memo(function Card({ row, classes, index, tabbable, open, detailsId, onFocusCard, onToggle }: CardProps) {
  const m = useMessages();
  const errText = useErrorText();
  const f = useFormat();
  const { item, result } = row;
  // The worker's small thumbnail; else the original file when its header is a sane size and it did not fail.
  const url = useSafePreview(item.thumb, item.file, !!result && !result.ok);
  const k = Math.min(5, classes.length);
  const status = !result ? 'pending' : result.ok ? (row.correct === false ? 'wrong' : 'ok') : 'error';
  return (
    <figure className={`card image-card is-${status}`} data-testid="result-card" data-name={item.path} data-status={status} data-index={index}>
      <div className="thumb">{url ? <img src={url} alt="" loading="lazy" decoding="async" /> : <span aria-hidden="true" className="muted">▨</span>}</div>
      <figcaption>
        <button
          type="button"
          className="name card-open"
          title={item.path}
          dir="auto"
          tabIndex={tabbable ? 0 : -1}
          aria-expanded={open}
          aria-controls={open ? detailsId : undefined}
          onFocus={() => onFocusCard(index)}
          onClick={() => onToggle(index, item.id)}
          data-testid="card-open"
        >
          {item.name}
        </button>
        {item.label !== undefined && <div className="muted small">{fmt(m.clip.label, { label: item.label })}</div>}
        {row.duplicateOf && <div className="muted small">= {row.duplicateOf}</div>}
        {result && !result.ok && (
          <p className="error small" data-testid="item-error">
            {item.name}: {errText(result.error)}
          </p>
        )}
        {result?.ok && (
          <ol className="bars" aria-label={fmt(m.clip.topk, { name: item.name })}>
            {topK(result, classes, k).map((t) => (
              <li key={t.index} data-class={t.name} data-logit={t.logit} data-prob={t.prob} className={t.index === row.labelIndex ? 'truth' : undefined}>
                <span className="bar" style={{ width: `${Math.max(1, t.prob * 100)}%` }} />
                <span className="bar-label">
                  <span className="cls" dir="auto">{t.name}</span>
                  <span className="val">
                    {f.pct(t.prob, 1)} <span className="muted">({f.num(t.logit, 2)})</span>
                  </span>
                </span>
              </li>
            ))}
          </ol>
        )}
      </figcaption>
    </figure>
  );
});
