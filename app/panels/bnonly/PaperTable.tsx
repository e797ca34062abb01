import { fmt, useFormat, useMessages } from '../../i18n';
import type { ExperimentRecord } from '../../workers/bnonly-protocol';
import { modeSpec } from '../../../src/bnonly/modes';

/** The paper's headline numbers beside this run's, per mode. */
export function PaperTable({ r }: { r: ExperimentRecord }) {
  const m = useMessages().bnonly;
  const f = useFormat();
  return (
    <section className="section" aria-labelledby="bn-paper">
      <h3 id="bn-paper">{m.paperHeading}</h3>
      <p className="help">{m.paperNote}</p>
      <div className="table-scroll">
        <table className="table" data-testid="bn-paper-table">
          <thead>
            <tr>
              <th scope="col">{m.modeCol}</th>
              <th scope="col">{m.trainableCol}</th>
              <th scope="col">{m.yourAccCol}</th>
              <th scope="col">{m.yourOffCol}</th>
              <th scope="col">{m.frozenCol}</th>
              <th scope="col">{m.paperCol}</th>
            </tr>
          </thead>
          <tbody>
            {r.runs.map((run) => {
              const last = run.evals.at(-1);
              return (
                <tr key={run.mode} data-mode={run.mode} data-trainable={run.trainableParams} data-total={run.totalParams} data-test-acc={last?.testAcc ?? ''}>
                  <th scope="row">
                    <span className="bn-swatch" style={{ background: modeSpec(run.mode).colour }} aria-hidden="true" /> {run.mode}
                  </th>
                  <td className="num">
                    {fmt(m.counts, { t: f.num(run.trainableParams), n: f.num(run.totalParams), p: f.pct(run.trainableParams / run.totalParams, 2) })}
                  </td>
                  <td className="num" data-testid="bn-acc-cell" data-step={last?.step ?? ''}>
                    {last ? f.pct(last.testAcc) : '–'}
                    {last && <span className="muted small"> {fmt(m.atStep, { n: f.num(last.step) })}</span>}
                  </td>
                  <td className="num">{run.gamma ? f.pct(run.gamma.overall.disabledFraction) : '–'}</td>
                  <td>{run.frozenUnchanged === null ? '–' : run.frozenUnchanged ? m.frozenOk : <span className="error">{m.frozenBad}</span>}</td>
                  <td>{m.paperByMode[run.mode]}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
