import { useMemo, useRef } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useImages } from '../../stores/images';
import { labelIndexes, probeClasses, useExplore } from '../../stores/explore';
import { downloadBlob } from '../../components/charts/chart-export';
import { LineChart } from '../../components/charts/LineChart';
import { PALETTE } from '../../components/charts/scale';
import { ACCURACY_CHART } from './accuracy-chart';
import { useErrorText } from '../../i18n/errors';

const L2_CHOICES = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5];

/** Few-shot linear probe: labels, training with a held-out split, the shots chart, the head. */
export function ProbeSection() {
  const m = useMessages();
  const errText = useErrorText();
  const f = useFormat();
  const items = useImages((s) => s.items);
  const s = useExplore();
  const fileRef = useRef<HTMLInputElement>(null);
  const classes = useMemo(() => probeClasses(items, s.manual, s.extraClasses), [items, s.manual, s.extraClasses]);
  const counts = useMemo(() => {
    const idx = labelIndexes(items, s.manual, classes);
    const c = classes.map(() => 0);
    for (const v of Object.values(idx)) if (v >= 0) c[v]++;
    return c;
  }, [items, s.manual, classes]);
  const labelled = counts.reduce((a, b) => a + b, 0);
  const ready = s.status === 'ready';
  const enough = counts.filter((c) => c > 0).length >= 2;
  const p = s.probe;

  const headAccuracy = useMemo(() => {
    if (!s.headPredictions) return null;
    const idx = labelIndexes(items, s.manual, s.headPredictions.classes);
    const ids = Object.keys(s.headPredictions.byId).filter((id) => (idx[id] ?? -1) >= 0);
    if (!ids.length) return null;
    return { acc: ids.filter((id) => s.headPredictions!.byId[id] === idx[id]).length / ids.length, n: ids.length };
  }, [s.headPredictions, items, s.manual]);

  return (
    <section className="section" aria-labelledby="x-probe-h">
      <h3 id="x-probe-h">{m.explore.probeTitle}</h3>
      <p className="help">{m.explore.probeHelp}</p>
      {!enough ? (
        <p className="empty-state" data-testid="probe-empty">{m.explore.needLabels}</p>
      ) : (
        <p className="small" data-testid="probe-classes">
          {fmt(m.explore.labelled, { n: labelled, c: classes.length })}{' '}
          <span className="muted">{classes.map((c, i) => `${c} (${counts[i]})`).join(', ')}</span>
        </p>
      )}
      <div className="x-controls">
        <label className="inline">
          <span>{m.explore.heldOut}</span>
          <select value={s.heldOut} onChange={(e) => s.setProbeOption({ heldOut: Number(e.target.value) })}>
            {[0.2, 0.3, 0.5].map((v) => (
              <option key={v} value={v}>
                {f.pct(v, 0)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <span>{m.explore.l2}</span>
          <select value={s.l2} onChange={(e) => s.setProbeOption({ l2: Number(e.target.value) })}>
            {L2_CHOICES.map((v) => (
              <option key={v} value={v}>
                {v.toExponential(0)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <span>{m.explore.seed}</span>
          <input type="number" min={0} step={1} value={s.seed} style={{ width: '5em' }} onChange={(e) => s.setProbeOption({ seed: Math.max(0, Math.round(Number(e.target.value) || 0)) })} />
        </label>
        <button type="button" className="button" disabled={!ready || !enough || s.probeRunning} onClick={() => void s.trainProbe()} data-testid="train-probe">
          {s.probeRunning ? m.explore.training : m.explore.train}
        </button>
      </div>
      {s.probeError && <p className="error" data-testid="probe-error">{errText(s.probeError)}</p>}
      {p && (
        <>
          <p className="small" data-testid="probe-summary">
            {fmt(m.explore.probeSummary, {
              train: p.trainCount,
              held: p.heldOutCount,
              probe: f.pct(p.curve[p.curve.length - 1].accuracy),
              zs: f.pct(p.zeroShot),
              s: f.num(p.seconds, 2),
            })}
          </p>
          <LineChart
            {...ACCURACY_CHART}
            title={m.explore.shotsChart}
            fileName="probe-accuracy-vs-shots"
            testId="probe-chart"
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
      <div className="x-controls">
        <span className="small">
          {s.head
            ? fmt(s.head.origin === 'trained' ? m.explore.headTrained : m.explore.headImported, { classes: s.head.json.classes.join(', '), name: s.head.name ?? '' })
            : m.explore.noHead}
        </span>
        <button type="button" className="ghost" disabled={!s.head} data-testid="export-head" onClick={() => s.head && downloadBlob(new Blob([JSON.stringify(s.head.json)], { type: 'application/json' }), 'linear-probe-head.json')}>
          {m.explore.exportHead}
        </button>
        <button type="button" className="ghost" disabled={!ready} onClick={() => fileRef.current?.click()}>
          {m.explore.importHead}
        </button>
        <button type="button" className="ghost" disabled={!ready || !s.head} onClick={() => void s.applyHead()}>
          {m.explore.applyHead}
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="head-input"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            let json: unknown;
            try {
              json = JSON.parse(await file.text());
            } catch (err) {
              useExplore.setState({ probeError: `${file.name}: ${m.explore.notJson} (${err instanceof Error ? err.message : String(err)})` });
              return;
            }
            await s.importHead(json, file.name);
          }}
        />
      </div>
      {s.headPredictions && (
        <p className="small" data-testid="head-applied">
          {headAccuracy
            ? fmt(m.explore.headAccuracy, { acc: f.pct(headAccuracy.acc), n: headAccuracy.n })
            : fmt(m.explore.headApplied, { n: Object.keys(s.headPredictions.byId).length })}
        </p>
      )}
    </section>
  );
}
