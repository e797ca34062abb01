import { useMemo, useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useHardness } from '../../stores/hardness';
import { useErrorText } from '../../i18n/errors';
import { hardnessWorker } from '../../workers/hardness-client';
import { METHODS } from '../../../src/hardness/label-issues/error-scores';
import type { LabelIssuesReport } from '../../workers/hardness-protocol';
import { Chart } from './charts';
import { Thumb } from './Thumb';
import type { Dataset } from './dataset';
import type { Derived } from './derive';
import { loadHumanScores, type HumanScores } from './human';
import { spearman } from '../../../src/hardness/rank';

const SEEDS = [1, 2, 3, 4, 5];
const FOLDS = 5;
const UNION_SHOWN = 60;
const COLORS: Record<string, string> = { avh: '#d62728', cl: '#1f77b4', margin: '#2ca02c', confidence: '#ff7f0e', entropy: '#9467bd', loss: '#8c564b' };

/**
 * Which score finds label errors best (issue #19): every method beside confident learning, on
 * injected noise (PR curves, AP, P@k, recall at 1% / 5% over 5 seeds) or, on the real labels, their
 * agreement and the union of their issues for review with the panel's relabel / exclude.
 */
export function LabelIssuesCompare({ d, data, classes }: { d: Derived; data: Dataset; classes: string[] }) {
  const m = useMessages().labelIssues;
  const f = useFormat();
  const h = useHardness();
  const errText = useErrorText();
  const [probsFrom, setProbsFrom] = useState<'cv' | 'panel'>('cv');
  const [rate, setRate] = useState(0.1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<LabelIssuesReport | null>(null);
  // the rows as they were at the run: the report's indices point into them even after relabels reorder the ranking
  const [runRows, setRunRows] = useState<Derived['ranking']>([]);
  // dataset order (not the ranking): seeded folds and flips then match the CLI and docs on the same data
  const rows = useMemo(() => d.rows.filter((r) => !r.excluded && r.labelSource !== 'predicted'), [d]);
  const C = classes.length;

  const run = async (mode: 'inject' | 'real') => {
    setBusy(true);
    setError(null);
    try {
      const angles = new Float64Array(rows.length * C);
      const probs = new Float64Array(rows.length * C);
      const a = h.analysis!;
      const at = new Map(a.ids.map((id, i) => [id, i]));
      rows.forEach((r, i) => {
        const j = at.get(r.data.item.id)!;
        angles.set(a.angles.subarray(j * C, (j + 1) * C), i * C);
        probs.set(r.probs, i * C);
      });
      const items = rows.map((r) => ({ id: r.data.item.id, hash: r.data.hash, logits: r.data.logits, label: r.label, row: data.items.indexOf(r.data) }));
      const snapshot = rows;
      setReport(
        await hardnessWorker().labelIssues({
          mode,
          classCount: C,
          items,
          labels: rows.map((r) => r.label),
          angles,
          probs: probsFrom === 'panel' ? probs : undefined,
          model: data.model,
          dtype: data.dtype,
          vectors: data.vectors,
          methods: [...METHODS],
          folds: FOLDS,
          rate,
          seeds: SEEDS,
          topK: Math.max(1, Math.round(rows.length * 0.05)),
        }),
      );
      setRunRows(snapshot);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const inj = report?.inject;
  const real = report?.real;
  const union = useMemo(() => {
    if (!real) return [];
    const set = new Set<number>();
    for (const v of Object.values(real.methods)) for (const i of v.issues) set.add(i);
    return [...set].map((i) => ({ i, by: Object.keys(real.methods).filter((k) => real.methods[k].issues.includes(i)) })).sort((a, b) => b.by.length - a.by.length || a.i - b.i);
  }, [real]);
  const [human, setHuman] = useState<HumanScores | null>(null);
  // each method's agreement with people: Spearman of −score (higher = label more likely right) with the human probability of the given label
  const humanRho = useMemo(() => {
    if (!real || !human) return null;
    const idx = runRows.map((r, i) => (human.byId.has(r.data.item.id) ? i : -1)).filter((i) => i >= 0);
    const hs = idx.map((i) => human.byId.get(runRows[i].data.item.id)!);
    return { n: idx.length, rho: Object.fromEntries(Object.entries(real.methods).map(([k, v]) => [k, spearman(idx.map((i) => -v.scores[i]), hs)])) };
  }, [real, human, runRows]);
  const pm = (s: { mean: number; std: number }) => `${f.num(s.mean, 3)} ± ${f.num(s.std, 3)}`;

  return (
    <div data-testid="li-section">
      <p className="help">{m.help}</p>
      <div className="toolbar-row">
        <label>
          {m.probsLabel}{' '}
          <select value={probsFrom} onChange={(e) => setProbsFrom(e.target.value as 'cv' | 'panel')} data-testid="li-probs" style={{ width: 'auto' }}>
            <option value="cv">{fmt(m.probsCv, { k: FOLDS })}</option>
            <option value="panel">{m.probsPanel}</option>
          </select>
        </label>
        <label>
          {m.rateLabel}{' '}
          <select value={rate} onChange={(e) => setRate(Number(e.target.value))} data-testid="li-rate" style={{ width: 'auto' }}>
            {[0.05, 0.1, 0.2].map((r) => (
              <option key={r} value={r}>
                {f.pct(r, 0)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || rows.length < 10} onClick={() => void run('inject')} data-testid="li-run-inject">
          {busy ? m.running : fmt(m.runInject, { seeds: SEEDS.length })}
        </button>
        <button type="button" disabled={busy || rows.length < 10} onClick={() => void run('real')} data-testid="li-run-real">
          {m.runReal}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="li-error">
          {errText(error)}
        </p>
      )}
      {report && (
        <p className="small" data-testid="li-source">
          {fmt(report.probsFrom === 'given' ? m.fromPanel : m.fromCv, { k: FOLDS, n: report.n, s: f.num(report.seconds, 1) })}
        </p>
      )}
      {inj && (
        <div data-testid="li-inject">
          <table className="table small" data-testid="li-table">
            <caption>{fmt(m.tableCaption, { rate: f.pct(inj.rate, 0), seeds: inj.seeds.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{m.method}</th>
                <th scope="col">AP</th>
                <th scope="col">{m.pAtK}</th>
                <th scope="col">{m.r1}</th>
                <th scope="col">{m.r5}</th>
              </tr>
            </thead>
            <tbody>
              {Object.keys(inj.methods)
                .sort((a, b) => inj.methods[b].ap.mean - inj.methods[a].ap.mean)
                .map((k) => (
                  <tr key={k} data-testid="li-row" data-method={k} data-ap={inj.methods[k].ap.mean}>
                    <th scope="row">{k === inj.winner ? <strong>{k}</strong> : k}</th>
                    <td>{pm(inj.methods[k].ap)}</td>
                    <td>{pm(inj.methods[k].precision_at_k)}</td>
                    <td>{pm(inj.methods[k].recall_at_1pct)}</td>
                    <td>{pm(inj.methods[k].recall_at_5pct)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <p className="small" data-testid="li-winner">
            {fmt(m.winner, { winner: [inj.winner, ...inj.tiedWith].join(' = '), other: inj.runnerUp, gap: pm(inj.gap) })}
          </p>
          <div data-testid="li-pr">
            <Chart title={m.prTitle} xLabel={m.recall} yLabel={m.precision} x={[0, 1]} y={[0, 1]} w={520} h={280} fmtX={(v) => f.pct(v, 0)} fmtY={(v) => f.pct(v, 0)}>
              {({ sx, sy }) => (
                <>
                  {Object.entries(inj.curves).map(([k, pts]) => (
                    <path key={k} data-testid="li-curve" d={pts.map((p, i) => `${i ? 'L' : 'M'}${sx(p.recall).toFixed(1)},${sy(p.precision).toFixed(1)}`).join(' ')} fill="none" stroke={COLORS[k]} strokeWidth={1.5}>
                      <title>{k}</title>
                    </path>
                  ))}
                </>
              )}
            </Chart>
            <p className="small">
              {Object.keys(inj.curves).map((k) => (
                <span key={k} style={{ color: COLORS[k], marginRight: '1em' }}>
                  ■ {k}
                </span>
              ))}
            </p>
          </div>
          <NoiseMatrix matrix={inj.noiseMatrix} classes={classes} title={m.noiseTitle} />
        </div>
      )}
      {real && (
        <div data-testid="li-real">
          <table className="table small" data-testid="li-agreement">
            <caption>{fmt(m.agreementCaption, { k: real.agreement.k })}</caption>
            <thead>
              <tr>
                <th scope="col" />
                {real.agreement.methods.map((k) => (
                  <th key={k} scope="col">
                    {k}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {real.agreement.methods.map((a, i) => (
                <tr key={a}>
                  <th scope="row">{a}</th>
                  {real.agreement.methods.map((b, j) => (
                    <td key={b}>{i === j ? '—' : `${f.pct(real.agreement.overlap[i][j], 0)} / ${f.num(real.agreement.spearman[i][j], 2)}`}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <NoiseMatrix matrix={real.noiseMatrix} classes={classes} title={m.noiseTitle} />
          <label className="small">
            {m.humanLoad}{' '}
            <input
              type="file"
              accept=".csv,.npy"
              data-testid="li-human"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                setError(null);
                file
                  .arrayBuffer()
                  .then((b) => setHuman(loadHumanScores(new Uint8Array(b), file.name, data)))
                  .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
              }}
            />
          </label>
          {humanRho && (
            <p className="small" data-testid="li-human-result">
              {fmt(m.humanResult, { n: humanRho.n, list: Object.entries(humanRho.rho).map(([k, v]) => `${k} ${Number.isFinite(v) ? f.num(v, 3) : '—'}`).join(', ') })}
            </p>
          )}
          <h4>{fmt(m.unionHeading, { n: union.length })}</h4>
          <ul className="hard-suspects" data-testid="li-union">
            {union.slice(0, UNION_SHOWN).map(({ i, by }) => {
              const r = runRows[i];
              if (!r) return null;
              const fixed = h.excluded[r.path] === true || h.relabel[r.path] !== undefined;
              return (
                <li key={r.data.item.id} data-testid="li-union-item" data-name={r.path}>
                  <Thumb item={r.data.item} />
                  <span className="hard-name">
                    {r.path}
                    <span className="muted small"> · {fmt(m.unionLine, { label: classes[r.label], predicted: classes[r.predicted], by: by.join(', ') })}</span>
                  </span>
                  {!fixed && r.predicted !== r.label && (
                    <button type="button" className="small" onClick={() => h.relabelTo(r.path, classes[r.predicted])} data-testid="li-relabel">
                      {fmt(m.relabelTo, { label: classes[r.predicted] })}
                    </button>
                  )}
                  {!fixed && (
                    <button type="button" className="ghost small" onClick={() => h.exclude(r.path)} data-testid="li-exclude">
                      {m.exclude}
                    </button>
                  )}
                  {fixed && <span className="muted small">{m.fixed}</span>}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}

/** P(given | true) as a heatmap: rows the given label, columns the true one. */
function NoiseMatrix({ matrix, classes, title }: { matrix: number[][]; classes: string[]; title: string }) {
  const f = useFormat();
  const cell = 26;
  const left = 90;
  const top = 70;
  const n = matrix.length;
  return (
    <figure data-testid="li-noise-matrix">
      <figcaption className="small">{title}</figcaption>
      <svg width={left + n * cell} height={top + n * cell} role="img" aria-label={title} fontSize="9">
        {classes.map((c, j) => (
          <text key={`c${j}`} transform={`translate(${left + j * cell + cell / 2} ${top - 4}) rotate(-60)`} fill="currentColor">
            {c}
          </text>
        ))}
        {matrix.map((row, i) => (
          <g key={i}>
            <text x={left - 4} y={top + i * cell + cell / 2 + 3} textAnchor="end" fill="currentColor">
              {classes[i]}
            </text>
            {row.map((v, j) => (
              <rect key={j} x={left + j * cell} y={top + i * cell} width={cell - 1} height={cell - 1} fill={`rgba(31, 119, 180, ${Math.min(1, Math.sqrt(v))})`}>
                <title>{`${classes[i]} | ${classes[j]}: ${f.num(v, 3)}`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
    </figure>
  );
}
