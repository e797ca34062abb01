import { useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { modeSpec, type Mode } from '../../../src/bnonly/modes';
import type { ExperimentRecord } from '../../workers/bnonly-protocol';
import { GammaHistogram } from './GammaHistogram';

const PREFERRED: Mode[] = ['bn', 'bn+output', 'full', 'random2', 'output'];

/** The |gamma| histogram per layer and overall, and the share of channels BatchNorm has switched off. */
export function GammaView({ r }: { r: ExperimentRecord }) {
  const m = useMessages().bnonly;
  const f = useFormat();
  const withGamma = r.runs.filter((x) => x.gamma);
  const fallback = PREFERRED.find((p) => withGamma.some((x) => x.mode === p));
  const [mode, setMode] = useState<Mode | null>(null);
  const [layer, setLayer] = useState<string>('');
  const run = withGamma.find((x) => x.mode === mode) ?? withGamma.find((x) => x.mode === fallback);
  if (!run?.gamma) return null;
  const g = run.gamma;
  const gi = run.gammaInit;
  const lay = g.layers.find((l) => l.layer === layer);
  const layInit = gi?.layers.find((l) => l.layer === layer);
  const cur = lay ? lay.histogram : g.overall.histogram;
  const init = lay ? layInit?.histogram : gi?.overall.histogram;
  const stats = lay ?? g.overall;
  const initStats = lay ? layInit : gi?.overall;
  const t = g.threshold;
  const layerName = lay ? lay.layer : m.gammaOverall;
  return (
    <section className="section" aria-labelledby="bn-gamma">
      <h3 id="bn-gamma">{m.gammaHeading}</h3>
      <p className="help bn-explain">{fmt(m.gammaExplain, { t: f.num(t, 2), pct: f.pct(t, 0) })}</p>
      <div className="bn-gamma-controls">
        <label className="inline">
          {m.gammaRun}
          <select data-testid="bn-gamma-mode" value={run.mode} onChange={(e) => setMode(e.target.value as Mode)}>
            {withGamma.map((x) => (
              <option key={x.mode} value={x.mode}>
                {x.mode}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          {m.gammaLayer}
          <select data-testid="bn-gamma-layer" value={layer} onChange={(e) => setLayer(e.target.value)}>
            <option value="">{m.gammaOverall}</option>
            {g.layers.map((l) => (
              <option key={l.layer} value={l.layer}>
                {l.layer} ({l.channels})
              </option>
            ))}
          </select>
        </label>
      </div>
      <p data-testid="bn-off-summary" data-fraction={stats.disabledFraction}>
        {fmt(m.offSummary, {
          pct: f.pct(stats.disabledFraction),
          n: f.num(stats.disabled),
          total: f.num(stats.channels),
          init: initStats ? f.pct(initStats.disabledFraction) : '–',
        })}
      </p>
      <div className="bn-gamma-body">
      <GammaHistogram
        title={fmt(m.gammaTitle, { layer: layerName, mode: run.mode })}
        current={cur}
        currentLabel={fmt(m.gammaNow, { step: f.num(r.step) })}
        init={init}
        initLabel={m.gammaInit}
        threshold={t}
        thresholdLabel={fmt(m.threshold, { t: f.num(t, 2) })}
        xLabel={m.gammaAxis}
        yLabel={m.channelsAxis}
        color={modeSpec(run.mode).colour}
        fileName={`bnonly-${r.id}-gamma-${run.mode}${lay ? `-${lay.layer}` : ''}`}
        testId="bn-chart-gamma"
      />
      <div className="bn-layers">
        <h4 id="bn-layer-table">{m.layerTable}</h4>
        <div className="table-scroll bn-layer-scroll" tabIndex={0} aria-labelledby="bn-layer-table">
          <table className="table" data-testid="bn-layer-table">
            <thead>
              <tr>
                <th scope="col">{m.layerCol}</th>
                <th scope="col">{m.channelsCol}</th>
                <th scope="col">{m.offCol}</th>
              </tr>
            </thead>
            <tbody>
              {g.layers.map((l) => (
                <tr key={l.layer} aria-current={l.layer === layer ? 'true' : undefined}>
                  <th scope="row">
                    <button type="button" className="link" onClick={() => setLayer(l.layer)}>
                      {l.layer}
                    </button>
                  </th>
                  <td>{f.num(l.channels)}</td>
                  <td>
                    <span className="bn-meter" aria-hidden="true">
                      <span style={{ width: `${l.disabledFraction * 100}%`, background: modeSpec(run.mode).colour }} />
                    </span>{' '}
                    {f.pct(l.disabledFraction)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      </div>
    </section>
  );
}
