import { useMemo, useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useImages } from '../../stores/images';
import { useExplore } from '../../stores/explore';
import type { ShiftName } from '../../../src/clip/shifts';
import type { Method } from '../../workers/explore-protocol';
import { LineChart } from '../../components/charts/LineChart';
import { PALETTE } from '../../components/charts/scale';
import { ACCURACY_CHART } from './accuracy-chart';
import { firstChanges, meanAccuracy } from './shift-summary';
import { Thumb } from './Thumb';
import { useErrorText } from '../../i18n/errors';

/** Distribution-shift lab: shifts × severities, accuracy vs severity, images that flip first. */
export function ShiftSection() {
  const m = useMessages();
  const errText = useErrorText();
  const f = useFormat();
  const items = useImages((s) => s.items);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const s = useExplore();
  const [view, setView] = useState<string>('mean');
  const [method, setMethod] = useState<Method>('zeroshot');
  const r = s.shift;
  // Typed so that every shift of src/clip/shifts.ts must have a name; importing its list would pull jpeg-js into the page.
  const names: Record<ShiftName, string> = m.explore.shiftNames;
  const allShifts = Object.keys(names) as ShiftName[];
  const shiftName = (x: string) => names[x as ShiftName] ?? x;
  const changes = useMemo(() => (r && r.methods.includes(method) ? firstChanges(r, method) : []), [r, method]);
  const ready = s.status === 'ready';

  return (
    <section className="section" aria-labelledby="x-shift-h">
      <h3 id="x-shift-h">{m.explore.shiftTitle}</h3>
      <p className="help">{m.explore.shiftHelp}</p>
      <fieldset className="x-fieldset">
        <legend>{m.explore.shifts}</legend>
        {allShifts.map((n) => (
          <label key={n} className="inline">
            <input type="checkbox" checked={s.shifts.includes(n)} onChange={() => s.toggleShift(n)} data-testid={`shift-${n}`} />
            <span>{shiftName(n)}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="x-fieldset">
        <legend>{m.explore.severities}</legend>
        {[1, 2, 3, 4, 5].map((v) => (
          <label key={v} className="inline">
            <input type="checkbox" checked={s.severities.includes(v)} onChange={() => s.toggleSeverity(v)} data-testid={`severity-${v}`} />
            <span>{v}</span>
          </label>
        ))}
      </fieldset>
      <div className="x-controls">
        <button
          type="button"
          className="button"
          disabled={!ready || s.shiftRunning || !s.shifts.length || !s.severities.length}
          onClick={() => void s.runShifts()}
          data-testid="run-shifts"
        >
          {s.shiftRunning ? m.explore.shiftRunning : m.explore.runShifts}
        </button>
        {s.shiftRunning && (
          <button type="button" className="ghost" onClick={s.cancelShifts}>
            {m.common.cancel}
          </button>
        )}
        {s.shiftProgress && <span className="muted small">{fmt(m.explore.shiftProgress, { done: s.shiftProgress.done, total: s.shiftProgress.total })}</span>}
        <span className="muted small">{fmt(m.explore.shiftCost, { n: items.length * s.shifts.length * s.severities.length })}</span>
      </div>
      <p className="muted small">{m.explore.privacy}</p>
      {s.shiftError && <p className="error">{errText(s.shiftError)}</p>}
      {r && (
        <>
          <p className="small" data-testid="shift-summary">
            {fmt(m.explore.shiftDone, { n: r.labelledCount, s: f.num(r.seconds, 1) })}
            {!r.methods.includes('probe') && <span className="muted"> {m.explore.noProbeInLab}</span>}
            {r.cancelled && <span className="warn"> {m.explore.cancelled}</span>}
          </p>
          {r.errors.length > 0 && (
            <ul className="error small">
              {r.errors.slice(0, 10).map((e) => (
                <li key={e.id}>{errText(e.error)}</li>
              ))}
            </ul>
          )}
          <label className="inline">
            <span>{m.explore.shiftView}</span>
            <select value={view} onChange={(e) => setView(e.target.value)} data-testid="shift-view">
              <option value="mean">{m.explore.meanOfShifts}</option>
              {r.shifts.map((x) => (
                <option key={x} value={x}>
                  {shiftName(x)}
                </option>
              ))}
            </select>
          </label>
          {r.labelledCount > 0 ? (
            <LineChart
              {...ACCURACY_CHART}
              title={fmt(m.explore.shiftChart, { shift: view === 'mean' ? m.explore.meanOfShifts : shiftName(view) })}
              fileName={`accuracy-vs-severity-${view}`}
              testId="shift-chart"
              empty=""
              xLabels={r.severities.map((v) => (v === 0 ? m.explore.clean : String(v)))}
              xLabel={m.explore.severityAxis}
              yLabel={m.explore.accuracyAxis}
              formatY={(v) => f.pct(v, 0)}
              series={r.methods.map((mm) => ({
                id: mm,
                label: mm === 'zeroshot' ? m.explore.zeroShotSeries : m.explore.probeSeries,
                points: meanAccuracy(r, mm, r.shifts.includes(view as ShiftName) ? view : 'mean').map((y, x) => ({ x, y })),
                color: PALETTE[mm === 'zeroshot' ? 1 : 0],
              }))}
            />
          ) : (
            <p className="muted">{m.explore.noAccuracy}</p>
          )}
          <h4>{m.explore.firstChanges}</h4>
          {r.methods.length > 1 && (
            <label className="inline">
              <span>{m.explore.method}</span>
              <select value={method} onChange={(e) => setMethod(e.target.value as Method)} data-testid="shift-method">
                {r.methods.map((x) => (
                  <option key={x} value={x}>
                    {x === 'zeroshot' ? m.explore.zeroShotSeries : m.explore.probeSeries}
                  </option>
                ))}
              </select>
            </label>
          )}
          {changes.length === 0 ? (
            <p className="muted small">{m.explore.noChanges}</p>
          ) : (
            <ol className="x-changes" data-testid="first-changes">
              {changes.slice(0, 24).map((c) => {
                const item = byId.get(c.id);
                return (
                  <li key={c.id}>
                    <Thumb item={item} size={64} />
                    <span className="small">
                      <strong>{item?.name}</strong>
                      <br />
                      {fmt(m.explore.changeLine, { shift: shiftName(c.shift), sev: c.severity, from: s.shiftClasses[c.from] ?? c.from, to: s.shiftClasses[c.to] ?? c.to })}
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
