import { useEffect, useMemo, useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useImages, type ImageItem } from '../../stores/images';
import { labelOf, probeClasses, useExplore } from '../../stores/explore';
import { Thumb } from './Thumb';
import { useErrorText } from '../../i18n/errors';

const SHOWN = 48;

/** Text search, "more like this", clicking images into classes, near-duplicate groups. */
export function SearchSection() {
  const m = useMessages();
  const f = useFormat();
  const errText = useErrorText();
  const items = useImages((s) => s.items);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const s = useExplore();
  const ready = s.status === 'ready';
  const classes = probeClasses(items, s.manual, s.extraClasses);
  const [newClass, setNewClass] = useState('');

  // Instant search: each keystroke (debounced a little) ranks every image in the worker.
  useEffect(() => {
    if (!ready) return;
    const t = setTimeout(() => void useExplore.getState().runSearch(), 120);
    return () => clearTimeout(t);
  }, [s.query, ready]);

  const hits = s.search?.hits.slice(0, SHOWN) ?? [];
  const similar = s.similarTo ? byId.get(s.similarTo) : undefined;

  return (
    <section className="section" aria-labelledby="x-search-h">
      <h3 id="x-search-h">{m.explore.searchTitle}</h3>
      <p className="help">{m.explore.searchHelp}</p>
      <input
        type="search"
        className="x-query"
        value={s.query}
        placeholder={m.explore.searchPlaceholder}
        aria-label={m.explore.searchTitle}
        data-testid="explore-query"
        disabled={!ready}
        onChange={(e) => s.setQuery(e.target.value)}
      />
      {s.searchError && <p className="error">{errText(s.searchError)}</p>}
      {s.search && (
        <p className="muted small" data-testid="search-meta" data-rank-ms={s.search.rankMs} data-count={s.search.hits.length} data-query={s.searchedFor ?? undefined}>
          {similar ? fmt(m.explore.similarTo, { name: similar.path }) : fmt(m.explore.ranked, { n: s.summary?.ids.length ?? 0 })}{' '}
          {fmt(m.explore.rankTime, { ms: f.num(s.search.rankMs, 1), text: f.num(s.search.textMs, 0) })}
        </p>
      )}
      {s.search && (
        <>
          <div className="x-class-add">
            <label className="inline">
              <span>{m.explore.newClass}</span>
              <input value={newClass} onChange={(e) => setNewClass(e.target.value)} data-testid="new-class" />
            </label>
            <button type="button" className="ghost" disabled={!newClass.trim()} onClick={() => { s.addClass(newClass); setNewClass(''); }}>
              {m.explore.addClass}
            </button>
            <span className="muted small">{m.explore.labelHelp}</span>
          </div>
          <ol className="x-hits" data-testid="search-results">
            {hits.map((h, rank) => {
              const item = byId.get(h.id);
              return item ? <HitCard key={h.id} item={item} rank={rank + 1} score={h.score} classes={classes} /> : null;
            })}
          </ol>
        </>
      )}
      <div className="x-dups">
        <h4>{m.explore.dupTitle}</h4>
        <label className="inline">
          <span>{m.explore.dupThreshold}</span>
          <input
            type="range"
            min={0.8}
            max={1}
            step={0.005}
            value={s.dupThreshold}
            onChange={(e) => s.setDupThreshold(Number(e.target.value))}
            data-testid="dup-threshold"
          />
          <output>{f.num(s.dupThreshold, 3)}</output>
        </label>
        <button type="button" className="ghost" disabled={!ready} onClick={() => void s.findDuplicates()} data-testid="find-dups">
          {m.explore.dupFind}
        </button>
        {s.dupGroups && (
          <div data-testid="dup-groups" data-count={s.dupGroups.groups.length}>
            <p className="muted small">{fmt(m.explore.dupResult, { n: s.dupGroups.groups.length, t: f.num(s.dupGroups.threshold, 3), ms: f.num(s.dupGroups.ms, 0) })}</p>
            <ul className="x-dup-list">
              {s.dupGroups.groups.slice(0, 30).map((g) => (
                <li key={g.join()}>
                  {g.slice(0, 8).map((id) => (
                    <span key={id} title={byId.get(id)?.path}>
                      <Thumb item={byId.get(id)} size={64} />
                    </span>
                  ))}
                  {g.length > 8 && <span className="muted">+{g.length - 8}</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}

function HitCard({ item, rank, score, classes }: { item: ImageItem; rank: number; score: number; classes: string[] }) {
  const m = useMessages();
  const f = useFormat();
  const manual = useExplore((s) => s.manual);
  const setLabel = useExplore((s) => s.setLabel);
  const moreLikeThis = useExplore((s) => s.moreLikeThis);
  const label = labelOf(item, manual) ?? '';
  return (
    <li className="x-hit" data-testid="search-hit" data-name={item.path} data-score={score} data-rank={rank}>
      <Thumb item={item} size={120} />
      <div className="x-hit-meta">
        <span className="name" title={item.path}>
          {rank}. {item.name}
        </span>
        <span className="muted small">{fmt(m.explore.cosine, { v: f.num(score, 3) })}</span>
        <select value={label} aria-label={fmt(m.explore.labelFor, { name: item.name })} onChange={(e) => setLabel(item.id, e.target.value || null)}>
          <option value="">{m.explore.noLabel}</option>
          {classes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <button type="button" className="link small" onClick={() => void moreLikeThis(item.id)}>
          {m.explore.moreLikeThis}
        </button>
      </div>
    </li>
  );
}
