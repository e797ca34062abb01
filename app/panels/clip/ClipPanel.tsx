import { useEffect, useMemo, useState } from 'react';
import { PanelIntro } from '../../components/PanelIntro';
import { fmt, useMessages } from '../../i18n';
import { useImages } from '../../stores/images';
import { useClassify } from '../../stores/classify';
import { ModelSection } from './ModelSection';
import { ClassEditor } from './ClassEditor';
import { DropZone } from './DropZone';
import { ImageGrid } from './ImageGrid';
import { ResultsSummary } from './ResultsSummary';
import { LiveSection } from './LiveSection';
import { ResultsProvenance } from './ResultsProvenance';
import { sortAndFilter, summarize, type FilterKey, type SortKey } from './results-model';

export default function ClipPanel() {
  const m = useMessages();
  const items = useImages((s) => s.items);
  const skipped = useImages((s) => s.skipped);
  const clear = useImages((s) => s.clear);
  const results = useClassify((s) => s.results);
  const running = useClassify((s) => s.run.status === 'running' || s.run.status === 'text');
  const [sort, setSort] = useState<SortKey>('name');
  const [filter, setFilter] = useState<FilterKey>('all');

  useEffect(() => {
    void useClassify.getState().restoreLast();
  }, []);

  const summary = useMemo(() => summarize(items, results), [items, results]);
  const shown = useMemo(() => sortAndFilter(summary.rows, sort, filter), [summary, sort, filter]);
  const errors = summary.rows.filter((r) => r.result && !r.result.ok);

  return (
    <div className="clip-panel">
      <PanelIntro text={m.clip} />
      <p className="help" data-testid="keeps-note" data-keeps="yes">{m.clip.keepsNote}</p>
      <div className="two-col">
        <div className="col-side">
          <ModelSection />
          <ClassEditor />
        </div>
        <div className="col-main">
          <LiveSection />
          <section className="section" aria-labelledby="images-h">
            <h3 id="images-h">{m.clip.images}</h3>
            <DropZone />
            {items.length === 0 ? (
              <div className="empty-state">
                <p>{m.clip.emptyImages}</p>
                <button type="button" className="ghost" data-testid="clip-samples" onClick={() => void import('../../demos/clip-demos').then((d) => d.runClipDemo())}>
                  {m.clip.trySamples}
                </button>
              </div>
            ) : (
              <>
                <div className="toolbar-row">
                  <span data-testid="image-count">{fmt(m.clip.count, { n: items.length })}</span>
                  {skipped > 0 && <span className="muted">{fmt(m.clip.duplicates, { n: skipped })}</span>}
                  <label className="inline">
                    <span>{m.clip.sort}</span>
                    <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
                      <option value="name">{m.clip.sortName}</option>
                      <option value="confidence-asc">{m.clip.sortConfidence}</option>
                      <option value="confidence-desc">{m.clip.sortConfidenceHigh}</option>
                    </select>
                  </label>
                  <label className="inline">
                    <span>{m.clip.filter}</span>
                    <select value={filter} onChange={(e) => setFilter(e.target.value as FilterKey)} data-testid="filter">
                      <option value="all">{m.clip.filterAll}</option>
                      <option value="errors">{m.clip.filterErrors}</option>
                      {summary.accuracy && <option value="wrong">{m.clip.filterWrong}</option>}
                      {results && (
                        <optgroup label={m.clip.filterClass}>
                          {results.classes.map((c, i) => (
                            <option key={i} value={`class:${i}`}>
                              {c}
                            </option>
                          ))}
                        </optgroup>
                      )}
                    </select>
                  </label>
                  <button type="button" className="ghost" disabled={running} onClick={() => { clear(); void useClassify.getState().forget(); }}>
                    {m.clip.clearImages}
                  </button>
                </div>
                {results && <ResultsProvenance results={results} />}
                <ImageGrid rows={shown} classes={results?.classes ?? []} label={fmt(m.clip.count, { n: shown.length })} />
              </>
            )}
          </section>
          <section className="section" aria-labelledby="results-h">
            <h3 id="results-h">{m.clip.results}</h3>
            {errors.length > 0 && (
              <div className="errors-box" role="status" data-testid="errors">
                <h4>{m.clip.errorsHeading}</h4>
                <ul>
                  {errors.slice(0, 50).map((r) => (
                    <li key={r.item.id}>
                      {r.item.path}: {r.result && !r.result.ok ? r.result.error : ''}
                    </li>
                  ))}
                  {errors.length > 50 && <li>… +{errors.length - 50}</li>}
                </ul>
              </div>
            )}
            {results ? <ResultsSummary summary={summary} results={results} /> : <p className="empty-state">{m.clip.noResults}</p>}
          </section>
        </div>
      </div>
    </div>
  );
}
