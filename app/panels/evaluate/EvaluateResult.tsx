import { fmt, useFormat, useMessages } from '../../i18n';
import { downloadBlob } from '../../components/charts/chart-export';
import { LineChart } from '../../components/charts/LineChart';
import { PALETTE } from '../../components/charts/scale';
import { reportCsv, reportHtml, reportJson } from '../../../src/eval/report';
import type { EvalResult } from '../../workers/eval-protocol';

/** The run's tables (with the published figures beside), confusion matrix, probe and exports. */
export function EvaluateResult({ result }: { result: EvalResult }) {
  const m = useMessages();
  const f = useFormat();
  const e = m.evaluate;
  const { report: r, reference } = result;
  const pct = (x: number) => (Number.isFinite(x) ? f.pct(x, 1) : '–');
  const base = `evaluation-${r.dataset}-${r.split}`;
  const C = r.classes.length;
  const cell = Math.max(3, Math.min(22, Math.floor(440 / C)));
  return (
    <section className="section eval-result" data-testid="eval-result" data-top1={r.top1} data-top5={r.top5} data-n={r.n}>
      <h3>{fmt(e.resultTitle, { model: r.model, dataset: r.dataset, split: r.split, n: r.n })}</h3>
      {r.cancelled && <p className="help">{e.cancelled}</p>}
      <p className="small muted">{fmt(e.seconds, { s: f.num(result.seconds, 1) })}</p>
      <table data-testid="eval-summary">
        <thead>
          <tr>
            <th>{e.source}</th>
            <th>{e.top1}</th>
            <th>{e.top5}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="eval-row-run">
            <td>{fmt(e.rowRun, { set: r.templates.set })}</td>
            <td>{pct(r.top1)}</td>
            <td>{pct(r.top5)}</td>
          </tr>
          {reference.map((ref) => (
            <tr key={ref.arch + ref.protocol + ref.source} data-testid="eval-row-reference">
              <td>
                {ref.arch} {ref.protocol} <span className="muted">({ref.citation})</span>
              </td>
              <td>{pct(ref.top1)}</td>
              <td />
            </tr>
          ))}
        </tbody>
      </table>

      <h4>{e.ablationTitle}</h4>
      <table data-testid="eval-ablation">
        <thead>
          <tr>
            <th>{e.set}</th>
            <th>{e.count_templates}</th>
            <th>{e.top1}</th>
            <th>{e.top5}</th>
            <th>{e.delta}</th>
          </tr>
        </thead>
        <tbody>
          {r.templates.ablation.map((a) => (
            <tr key={a.set} data-set={a.set} data-top1={a.top1}>
              <td>{a.set}</td>
              <td>{a.count}</td>
              <td>{pct(a.top1)}</td>
              <td>{pct(a.top5)}</td>
              <td>{(a.delta >= 0 ? '+' : '') + f.num(100 * a.delta, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{e.perTemplateTitle}</summary>
        <table data-testid="eval-per-template">
          <thead>
            <tr>
              <th>{e.template}</th>
              <th>{e.top1}</th>
            </tr>
          </thead>
          <tbody>
            {r.templates.per_template.map((t) => (
              <tr key={t.template}>
                <td>{t.template}</td>
                <td>{pct(t.top1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <details>
        <summary>{e.perClassTitle}</summary>
        <table data-testid="eval-per-class">
          <thead>
            <tr>
              <th>{e.className}</th>
              <th>{e.n}</th>
              <th>{e.top1}</th>
            </tr>
          </thead>
          <tbody>
            {r.per_class.map((c) => (
              <tr key={c.class}>
                <td>{c.class}</td>
                <td>{c.n}</td>
                <td>{pct(c.top1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <h4>{e.confusionTitle}</h4>
      <svg role="img" aria-label={e.confusionTitle} data-testid="eval-confusion" width={C * cell} height={C * cell} className="eval-confusion">
        {r.confusion.flatMap((row, y) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return row.map((v, x) =>
            v > 0 ? (
              <rect key={`${y}-${x}`} x={x * cell} y={y * cell} width={cell} height={cell} fillOpacity={v / total}>
                <title>{`${r.classes[y]} → ${r.classes[x]}: ${v}`}</title>
              </rect>
            ) : null,
          );
        })}
      </svg>

      {r.probe && (
        <>
          <h4>{e.probeTitle}</h4>
          <p data-testid="eval-probe-summary" data-top1={r.probe.top1}>
            {fmt(e.probeSummary, { acc: pct(r.probe.top1), c: r.probe.C.toPrecision(3), held: pct(r.probe.heldout_top1), n: r.probe.train_n })}
          </p>
          <LineChart
            cls="x"
            markers
            yMin={0}
            yMax={1}
            yTicks={[0, 0.25, 0.5, 0.75, 1]}
            title={e.shotsChart}
            fileName={`${base}-shots`}
            testId="eval-shots-chart"
            empty=""
            xLabels={r.probe.shots.map((x) => (x.shots === 'all' ? e.all : String(x.shots)))}
            xLabel={e.shots}
            yLabel={e.top1}
            formatY={(v) => f.pct(v, 0)}
            series={[
              { id: 'probe', label: e.probeTitle, points: r.probe.shots.map((x, i) => ({ x: i, y: x.top1 })), color: PALETTE[0] },
              { id: 'zeroshot', label: fmt(e.rowRun, { set: r.templates.set }), points: r.probe.shots.map((_, i) => ({ x: i, y: r.top1 })), color: PALETTE[1], dashed: true },
            ]}
          />
          <table data-testid="eval-shots">
            <thead>
              <tr>
                <th>{e.shots}</th>
                <th>{e.n}</th>
                <th>{e.top1}</th>
              </tr>
            </thead>
            <tbody>
              {r.probe.shots.map((s) => (
                <tr key={String(s.shots)}>
                  <td>{s.shots === 'all' ? e.all : s.shots}</td>
                  <td>{s.n}</td>
                  <td>{pct(s.top1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {r.errors.length > 0 && (
        <details className="errors-box" data-testid="eval-errors">
          <summary>{fmt(e.errorsTitle, { n: r.errors.length })}</summary>
          <ul>
            {r.errors.slice(0, 100).map((x) => (
              <li key={x.image}>
                {x.image}: {x.error}
              </li>
            ))}
          </ul>
        </details>
      )}

      <div className="eval-actions">
        <button type="button" data-testid="eval-export-json" onClick={() => downloadBlob(new Blob([reportJson(r, reference)], { type: 'application/json' }), `${base}.json`)}>
          {e.exportJson}
        </button>
        <button type="button" data-testid="eval-export-csv" onClick={() => downloadBlob(new Blob([reportCsv(r, reference)], { type: 'text/csv' }), `${base}.csv`)}>
          {e.exportCsv}
        </button>
        <button type="button" data-testid="eval-export-html" onClick={() => downloadBlob(new Blob([reportHtml(r, reference)], { type: 'text/html' }), `${base}.html`)}>
          {e.exportHtml}
        </button>
      </div>
    </section>
  );
}
