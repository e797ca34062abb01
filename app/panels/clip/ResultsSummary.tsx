import { fmt, useFormat, useMessages } from '../../i18n';
import type { ResultSet } from '../../stores/classify';
import { toCsv, toJson, type Summary } from './results-model';

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const MAX_CONFUSION = 20;

/** Counts per class, accuracy and confusion against folder labels, exports. */
export function ResultsSummary({ summary, results }: { summary: Summary; results: ResultSet }) {
  const m = useMessages();
  const f = useFormat();
  const classes = results.classes;
  const max = Math.max(1, ...summary.counts);
  const shownCounts = classes.map((c, i) => ({ c, n: summary.counts[i] })).filter((x) => x.n > 0 || classes.length <= 20).sort((a, b) => b.n - a.n);
  const conf = summary.confusion;
  // Big label sets: show the most frequent labels and their columns only.
  let confLabels = conf?.labels ?? [];
  let confCols = classes.map((_, i) => i);
  if (conf && (conf.labels.length > MAX_CONFUSION || classes.length > MAX_CONFUSION)) {
    const totals = conf.labels.map((l, i) => ({ l, n: conf.matrix[i].reduce((a, b) => a + b, 0) }));
    confLabels = totals.sort((a, b) => b.n - a.n).slice(0, MAX_CONFUSION).map((t) => t.l);
    confCols = classes.map((_, i) => i).filter((i) => summary.counts[i] > 0).slice(0, MAX_CONFUSION);
  }

  return (
    <div className="results-summary" data-testid="results-summary">
      <p data-testid="results-count">{fmt(m.clip.resultsOf, { n: summary.classified, errors: summary.errors })}</p>
      <p className="muted small" data-testid="scoring-note" data-scoring={results.scoring?.kind ?? 'softmax'}>
        {results.scoring?.kind === 'sigmoid' ? m.clip.scoredSigmoid : m.clip.scoredSoftmax}
      </p>
      {results.restored && (
        <p className="muted small" data-testid="restored">
          {fmt(m.clip.restored, { when: new Date(results.finishedAt).toLocaleString(f.locale) })}
        </p>
      )}
      {summary.accuracy && (
        <p className="accuracy" data-testid="accuracy">
          {fmt(m.clip.accuracy, { acc: f.pct(summary.accuracy.correct / summary.accuracy.n, 1), correct: summary.accuracy.correct, n: summary.accuracy.n })}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => download('clip-results.csv', toCsv(summary.rows, results), 'text/csv')} data-testid="export-csv">
          {m.clip.exportCsv}
        </button>
        <button type="button" onClick={() => download('clip-results.json', toJson(summary.rows, results), 'application/json')} data-testid="export-json">
          {m.clip.exportJson}
        </button>
      </div>
      <details open={classes.length <= 20}>
        <summary>{m.clip.countsHeading}</summary>
        <table className="table counts" data-testid="counts">
          <tbody>
            {shownCounts.map(({ c, n }) => (
              <tr key={c}>
                <th scope="row">{c}</th>
                <td className="num">{f.num(n)}</td>
                <td className="bar-cell" aria-hidden="true">
                  <span className="bar" style={{ width: `${(n / max) * 100}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {conf && (
        <details open>
          <summary>{m.clip.confusionHeading}</summary>
          {confLabels.length < conf.labels.length && <p className="muted small">{fmt(m.clip.confusionTooBig, { n: confLabels.length })}</p>}
          <div className="table-scroll">
            <table className="table confusion" data-testid="confusion">
              <thead>
                <tr>
                  <td />
                  {confCols.map((i) => (
                    <th key={i} scope="col">
                      {classes[i]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {confLabels.map((l) => {
                  const row = conf.matrix[conf.labels.indexOf(l)];
                  const rowMax = Math.max(1, ...row);
                  return (
                    <tr key={l}>
                      <th scope="row">{l}</th>
                      {confCols.map((i) => (
                        <td
                          key={i}
                          className={`num${classes[i].toLowerCase() === l.toLowerCase() ? ' diag' : ''}`}
                          style={{ '--heat': row[i] / rowMax } as React.CSSProperties}
                        >
                          {row[i] || ''}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}
