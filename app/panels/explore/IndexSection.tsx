import { useEffect } from 'react';
import { useMemo } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useErrorText } from '../../i18n/errors';
import { indexClasses, useIndexImport } from '../../stores/index-import';
import { ChartFrame } from '../../components/charts/ChartFrame';
import { LineChart } from '../../components/charts/LineChart';
import { PALETTE } from '../../components/charts/scale';
import { ACCURACY_CHART } from './accuracy-chart';
import { ScatterMap, type MapPoint } from './ScatterMap';
import { IndexOpen } from './IndexOpen';
import type { ImageItem } from '../../stores/images';

const SHOWN = 50;

/** An embedding index made by `cli embed` (Parquet parts): opened in a worker, searched without recomputing. */
export function IndexSection() {
  const m = useMessages().embedIndex;
  const f = useFormat();
  const s = useIndexImport();
  const ready = !!s.summary;
  const errText = useErrorText();

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
      <IndexOpen idPrefix="index-" />
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
                  <li key={h.path} data-testid="index-hit" data-path={h.path} data-score={h.score} data-row={h.row}>
                    <span className="name">{h.path}</span> {h.label && <span className="muted small">({h.label})</span>}{' '}
                    <span className="muted small">{fmt(m.cosine, { v: f.num(h.score, 3) })}</span>
                  </li>
                ))}
              </ol>
            </>
          )}
          <IndexJobs />
          {s.jobError && (
            <p className="error" data-testid="index-job-error">
              {errText(s.jobError)}
            </p>
          )}
        </>
      )}
    </section>
  );
}

const NO_ITEMS = new Map<string, ImageItem>();

/** Near-duplicates, the map and the probe on the imported rows (the same worker code as the images'). */
function IndexJobs() {
  const m = useMessages();
  const f = useFormat();
  const s = useIndexImport();
  const classes = indexClasses(s.summary);
  const map = s.map;
  const { points, groups } = useMemo(() => {
    if (!map) return { points: [] as MapPoint[], groups: [] as string[] };
    const groups = [...new Set(map.labels.filter((l): l is string => l !== null))].sort();
    const points = map.paths.map((id, i) => ({ id, x: map.points[2 * i], y: map.points[2 * i + 1], group: map.labels[i] === null ? -1 : groups.indexOf(map.labels[i]!) }));
    return { points, groups };
  }, [map]);
  const prompts = map ? classes.map((name, i) => ({ name, x: map.prompts[2 * i], y: map.prompts[2 * i + 1] })).filter((p) => Number.isFinite(p.x)) : [];
  const p = s.probe;
  return (
    <>
      <div className="x-dups">
        <h4>{m.explore.dupTitle}</h4>
        <label className="inline">
          <span>{m.explore.dupThreshold}</span>
          <input type="range" min={0.8} max={1} step={0.005} value={s.dupThreshold} onChange={(e) => s.setDupThreshold(Number(e.target.value))} data-testid="index-dup-threshold" />
          <output>{f.num(s.dupThreshold, 3)}</output>
        </label>
        <button type="button" className="ghost" disabled={!!s.busy} onClick={() => void s.findDuplicates()} data-testid="index-find-dups">
          {m.explore.dupFind}
        </button>
        {s.dupGroups && (
          <div data-testid="index-dup-groups" data-count={s.dupGroups.groups.length} data-groups={JSON.stringify(s.dupGroups.groups)}>
            <p className="muted small">{fmt(m.explore.dupResult, { n: s.dupGroups.groups.length, t: f.num(s.dupGroups.threshold, 3), ms: f.num(s.dupGroups.ms, 0) })}</p>
            <ul className="x-dup-list">
              {s.dupGroups.groups.slice(0, 30).map((g) => (
                <li key={g.join()} className="small">
                  {g.slice(0, 8).join(' · ')}
                  {g.length > 8 && <span className="muted"> +{g.length - 8}</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <h4>{m.explore.mapTitle}</h4>
      <p className="help">{m.embedIndex.mapHelp}</p>
      <button type="button" className="button" disabled={!!s.busy} onClick={() => void s.buildMap()} data-testid="index-build-map">
        {s.busy === 'map' ? m.explore.mapRunning : m.explore.buildMap}
      </button>
      {map && (
        <div data-testid="index-map" data-shown={map.rows.length} data-total={map.total} data-method={map.method}>
          <p className="muted small">{fmt(m.embedIndex.mapShown, { shown: f.num(map.rows.length, 0), total: f.num(map.total, 0) })}</p>
          <ChartFrame title={fmt(m.explore.mapChart, { method: map.method.toUpperCase(), n: points.length })} fileName="index-embedding-map" testId="index-embed-map" cls="x">
            <ScatterMap points={points} prompts={prompts} groups={groups} items={NO_ITEMS} axis={map.method === 'umap' ? ['UMAP 1', 'UMAP 2'] : [m.explore.pc1, m.explore.pc2]} onSelect={() => undefined} />
          </ChartFrame>
        </div>
      )}
      <h4>{m.explore.probeTitle}</h4>
      <p className="small" data-testid="index-probe-classes">
        {classes.length >= 2 ? fmt(m.embedIndex.probeClasses, { classes: s.summary!.labels.map((l) => `${l.name} (${l.rows})`).join(', ') }) : m.explore.needLabels}
      </p>
      <button type="button" className="button" disabled={!!s.busy || classes.length < 2} onClick={() => void s.trainProbe()} data-testid="index-train-probe">
        {s.busy === 'probe' ? m.explore.training : m.explore.train}
      </button>
      {p && (
        <>
          <p className="small" data-testid="index-probe-summary" data-probe={p.curve[p.curve.length - 1].accuracy} data-zeroshot={p.zeroShot} data-train={p.trainCount} data-held={p.heldOutCount}>
            {fmt(m.explore.probeSummary, { train: p.trainCount, held: p.heldOutCount, probe: f.pct(p.curve[p.curve.length - 1].accuracy), zs: f.pct(p.zeroShot), s: f.num(p.seconds, 2) })}
          </p>
          <LineChart
            {...ACCURACY_CHART}
            title={m.explore.shotsChart}
            fileName="index-probe-accuracy-vs-shots"
            testId="index-probe-chart"
            empty=""
            xLabels={p.curve.map((c) => (c.shots === 'all' ? m.explore.all : String(c.shots)))}
            xLabel={m.explore.shotsAxis}
            yLabel={m.explore.accuracyAxis}
            formatY={(v) => f.pct(v, 0)}
            series={[
              { id: 'probe', label: m.explore.probeSeries, points: p.curve.map((c, i) => ({ x: i, y: c.accuracy })), color: PALETTE[0] },
              { id: 'zeroshot', label: m.explore.zeroShotSeries, points: p.curve.map((_, i) => ({ x: i, y: p.zeroShot })), color: PALETTE[1], dashed: true },
            ]}
          />
        </>
      )}
    </>
  );
}
