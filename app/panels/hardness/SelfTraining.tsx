import { useId } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useHardness } from '../../stores/hardness';
import { useErrorText } from '../../i18n/errors';
import { Chart } from './charts';
import type { Dataset } from './dataset';
import type { SelfTrainPoint } from '../../workers/hardness-protocol';

/**
 * The paper's comparison: hide the labels of part of the labelled images (the target), train a
 * linear probe on the rest, pseudo-label the target images kept by AVH (or by confidence), retrain,
 * repeat; accuracy and coverage against the share of the target each rule keeps.
 */
export function SelfTraining({ data }: { data: Dataset }) {
  const m = useMessages();
  const f = useFormat();
  const h = useHardness();
  const errText = useErrorText();
  const ids = { frac: useId(), rounds: useId() };
  const r = h.selfTrain.report;
  const busy = h.selfTrain.status === 'running';
  const line = (pts: SelfTrainPoint[], key: 'accuracy' | 'coverage', sx: (v: number) => number, sy: (v: number) => number) =>
    pts
      .filter((p) => Number.isFinite(p[key] ?? NaN))
      .map((p, i) => `${i ? 'L' : 'M'}${sx(p.quantile).toFixed(1)},${sy(p[key]!).toFixed(1)}`)
      .join(' ');
  return (
    <div>
      <div className="form-grid">
        <label htmlFor={ids.frac}>{m.hardness.targetShare}</label>
        <input id={ids.frac} type="number" min={0.1} max={0.9} step={0.1} value={h.targetFraction} onChange={(e) => h.setSelfTrainParams({ targetFraction: Number(e.target.value) })} />
        <label htmlFor={ids.rounds}>{m.hardness.rounds}</label>
        <input id={ids.rounds} type="number" min={1} max={10} step={1} value={h.rounds} onChange={(e) => h.setSelfTrainParams({ rounds: Math.max(1, Math.min(10, Math.round(Number(e.target.value)))) })} />
      </div>
      <p className="help">{m.hardness.selfTrainHelp}</p>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || data.labelled < 4} onClick={() => void h.runSelfTrain(data)} data-testid="hard-selftrain">
          {busy ? m.hardness.running : m.hardness.runSelfTrain}
        </button>
      </div>
      {data.labelled < 4 && <p className="muted small">{m.hardness.needLabels}</p>}
      {h.selfTrain.error && (
        <p className="error" role="alert">
          {errText(h.selfTrain.error)}
        </p>
      )}
      {r && (
        <div data-testid="hard-selftrain-result">
          <p className="small">{fmt(m.hardness.selfTrainSummary, { source: r.source, target: r.target, acc: f.pct(r.initialAccuracy, 1), s: f.num(r.seconds, 1) })}</p>
          <Chart title={m.hardness.selfTrainChart} xLabel={m.hardness.keptShare} yLabel={m.hardness.accuracyCoverage} x={[0, 1]} y={[0, 1]} w={520} h={280} fmtX={(v) => f.pct(v, 0)} fmtY={(v) => f.pct(v, 0)}>
            {({ sx, sy }) => (
              <>
                <line x1={sx(0)} x2={sx(1)} y1={sy(r.initialAccuracy)} y2={sy(r.initialAccuracy)} className="hard-line base" />
                <path d={line(r.avh, 'accuracy', sx, sy)} className="hard-line avh" />
                <path d={line(r.confidence, 'accuracy', sx, sy)} className="hard-line conf" />
                <path d={line(r.avh, 'coverage', sx, sy)} className="hard-line avh dashed" />
                <path d={line(r.confidence, 'coverage', sx, sy)} className="hard-line conf dashed" />
              </>
            )}
          </Chart>
          <ul className="hard-legend small">
            <li><span className="sw avh" /> {m.hardness.legendAvh}</li>
            <li><span className="sw conf" /> {m.hardness.legendConf}</li>
            <li><span className="sw dashed" /> {m.hardness.legendCoverage}</li>
            <li><span className="sw base" /> {m.hardness.legendBase}</li>
          </ul>
          <div className="table-scroll">
            <table className="table small">
              <thead>
                <tr>
                  <th scope="col">{m.hardness.keptShare}</th>
                  <th scope="col">{m.hardness.avhThreshold}</th>
                  <th scope="col">{m.hardness.accAvh}</th>
                  <th scope="col">{m.hardness.covAvh}</th>
                  <th scope="col">{m.hardness.confThreshold}</th>
                  <th scope="col">{m.hardness.accConf}</th>
                  <th scope="col">{m.hardness.covConf}</th>
                </tr>
              </thead>
              <tbody>
                {r.avh.map((p, i) => {
                  const c = r.confidence[i];
                  return (
                    <tr key={p.quantile}>
                      <td>{f.pct(p.quantile, 0)}</td>
                      <td>{f.num(p.threshold, 4)}</td>
                      <td>{p.accuracy !== undefined ? f.pct(p.accuracy, 1) : '—'}</td>
                      <td>{f.pct(p.coverage, 0)}</td>
                      <td>{f.num(c.threshold, 4)}</td>
                      <td>{c.accuracy !== undefined ? f.pct(c.accuracy, 1) : '—'}</td>
                      <td>{f.pct(c.coverage, 0)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
