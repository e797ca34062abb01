import { fmt, useFormat, useMessages } from '../../i18n';
import type { ExperimentRecord } from '../../workers/bnonly-protocol';
import { modeSpec } from '../../../src/bnonly/modes';
import { LineChart, type Series } from '../../components/charts/LineChart';

/** Loss and accuracy of every mode of one experiment, overlaid. */
export function Curves({ r }: { r: ExperimentRecord }) {
  const m = useMessages().bnonly;
  const f = useFormat();
  const loss: Series[] = r.runs.map((run) => ({
    id: run.mode,
    label: run.mode,
    color: modeSpec(run.mode).colour,
    points: run.points.map((p) => ({ x: p.step, y: p.loss })),
  }));
  const acc: Series[] = r.runs.flatMap((run) => [
    { id: `${run.mode}-test`, label: fmt(m.testLabel, { mode: run.mode }), color: modeSpec(run.mode).colour, points: run.evals.map((p) => ({ x: p.step, y: p.testAcc * 100 })) },
    {
      id: `${run.mode}-train`,
      label: fmt(m.trainLabel, { mode: run.mode }),
      color: modeSpec(run.mode).colour,
      dashed: true,
      points: run.points.map((p) => ({ x: p.step, y: p.trainAcc * 100 })),
    },
  ]);
  const base = `bnonly-${r.id}`;
  return (
    <section className="section" aria-labelledby="bn-curves">
      <h3 id="bn-curves">{m.chartsHeading}</h3>
      <p className="help">{m.chartsHelp}</p>
      <div className="bn-charts">
        <LineChart
          title={m.lossTitle}
          xLabel={m.stepAxis}
          yLabel={m.lossAxis}
          series={loss}
          yMin={0}
          formatY={(v) => f.num(v, 2)}
          formatX={(v) => f.num(v)}
          empty={m.chartEmpty}
          fileName={`${base}-loss`}
          testId="bn-chart-loss"
          integerX
          cls="bn"
        />
        <LineChart
          title={m.accTitle}
          xLabel={m.stepAxis}
          yLabel={m.accAxis}
          series={acc}
          yMin={0}
          yMax={100}
          formatY={(v) => f.num(v, 0)}
          formatX={(v) => f.num(v)}
          empty={m.chartEmpty}
          fileName={`${base}-accuracy`}
          testId="bn-chart-acc"
          integerX
          cls="bn"
        />
      </div>
    </section>
  );
}
