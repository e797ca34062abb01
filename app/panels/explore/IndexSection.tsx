import { useEffect } from 'react';
import { FileDropZone } from '../../components/drop/FileDropZone';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useIndexImport } from '../../stores/index-import';

const SHOWN = 50;

/** An embedding index made by `cli embed` (Parquet parts): opened in a worker, searched without recomputing. */
export function IndexSection() {
  const m = useMessages().embedIndex;
  const f = useFormat();
  const s = useIndexImport();
  const ready = !!s.summary;

  // Instant search over the index, debounced like the images' search.
  useEffect(() => {
    if (!ready) return;
    const t = setTimeout(() => void useIndexImport.getState().runSearch(), 120);
    return () => clearTimeout(t);
  }, [s.query, ready, s.summary]);

  return (
    <section className="section" aria-labelledby="x-index-h" data-testid="index-section">
      <h3 id="x-index-h">{m.title}</h3>
      <p className="help">{m.help}</p>
      <FileDropZone
        idPrefix="index-"
        text={m.drop}
        help={m.dropHelp}
        chooseLabel={m.choose}
        multiple
        folderLabel={m.chooseFolder}
        accept=".parquet"
        onFiles={(files) => void s.open(files)}
      />
      <p className="muted small" role="status" data-testid="index-status" data-status={s.status}>
        {s.status === 'loading' && m.loading}
        {s.summary &&
          s.status !== 'loading' &&
          fmt(m.ready, { rows: f.num(s.summary.rows, 0), dim: s.summary.dim, parts: s.summary.parts, model: s.summary.models.join(', '), dtype: s.summary.dtypes.join(', '), s: f.num(s.summary.seconds, 1) })}
      </p>
      {s.error && (
        <p className="error" data-testid="index-error">
          {fmt(m.refused, { reason: s.error })}
        </p>
      )}
      {ready && (
        <>
          <input
            type="search"
            className="x-query"
            value={s.query}
            placeholder={m.placeholder}
            aria-label={m.query}
            data-testid="index-query"
            onChange={(e) => s.setQuery(e.target.value)}
          />
          {s.searchError && <p className="error">{s.searchError}</p>}
          {s.result && (
            <>
              <p className="muted small" data-testid="index-meta" data-rank-ms={s.result.rankMs}>
                {fmt(m.ranked, { n: f.num(s.summary!.rows, 0), ms: f.num(s.result.rankMs, 1), text: f.num(s.result.textMs, 0) })}
              </p>
              <ol className="x-index-hits" data-testid="index-results">
                {s.result.hits.slice(0, SHOWN).map((h) => (
                  <li key={h.path} data-testid="index-hit" data-path={h.path} data-score={h.score}>
                    <span className="name">{h.path}</span> {h.label && <span className="muted small">({h.label})</span>}{' '}
                    <span className="muted small">{fmt(m.cosine, { v: f.num(h.score, 3) })}</span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </section>
  );
}
