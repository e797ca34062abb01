import { useId, useRef, useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { Chart, svgBlob } from './charts';
import { download } from './download';
import type { Derived } from './derive';

type Metric = 'confidence' | 'entropy' | 'margin';

/** AVH against confidence / entropy / margin, with Spearman's rho for all three. */
export function Scatter({ d }: { d: Derived }) {
  const m = useMessages();
  const f = useFormat();
  const [metric, setMetric] = useState<Metric>('confidence');
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const pts = d.ranking;
  const xs = pts.map((r) => r.avh);
  const ys = pts.map((r) => r[metric]);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = (hi - lo) * 0.05 || 0.01;
  const x: [number, number] = [Math.max(0, lo - pad), hi + pad];
  const y: [number, number] = [0, Math.max(metric === 'entropy' ? 1e-6 : 1, ...ys) * (metric === 'entropy' ? 1.05 : 1)];
  const names: Record<Metric, string> = { confidence: m.hardness.confidence, entropy: m.hardness.entropy, margin: m.hardness.margin };
  const rho = (v: number) => (Number.isFinite(v) ? f.num(v, 3) : '—');
  const describe = (r: (typeof pts)[number]) => `${r.path}: AVH ${f.num(r.avh, 4)}, ${names[metric]} ${f.num(r[metric], 3)}`;
  // The keyboard walks the dots left to right: the ranking's order (easy to hard, AVH rising).
  const cursor = { count: pts.length, at: (i: number): [number, number] => [pts[i].avh, pts[i][metric]], text: (i: number) => describe(pts[i]) };
  return (
    <div>
      <dl className="hard-rhos" data-testid="hard-correlations">
        {(Object.keys(names) as Metric[]).map((k) => (
          <div key={k} data-metric={k} data-rho={d.correlations[k]}>
            <dt>{fmt(m.hardness.rhoOf, { metric: names[k] })}</dt>
            <dd>{rho(d.correlations[k])}</dd>
          </div>
        ))}
      </dl>
      <div className="toolbar-row">
        <label htmlFor={id}>{m.hardness.scatterAgainst}</label>
        <select id={id} value={metric} onChange={(e) => setMetric(e.target.value as Metric)} style={{ width: 'auto' }} data-testid="hard-scatter-metric">
          {(Object.keys(names) as Metric[]).map((k) => (
            <option key={k} value={k}>
              {names[k]}
            </option>
          ))}
        </select>
        <button type="button" className="ghost small" onClick={() => box.current?.querySelector('svg') && download(`avh-vs-${metric}.svg`, svgBlob(box.current.querySelector('svg')!))}>
          {m.hardness.exportSvg}
        </button>
      </div>
      <div ref={box}>
        <Chart title={fmt(m.hardness.scatterTitle, { metric: names[metric] })} xLabel={m.hardness.avh} yLabel={names[metric]} x={x} y={y} w={520} h={300} fmtX={(v) => f.num(v, 3)} fmtY={(v) => f.num(v, 2)} testId="hard-scatter"
          cursor={cursor}
        >
          {({ sx, sy }) =>
            pts.map((r) => (
              <circle key={r.data.item.id} cx={sx(r.avh)} cy={sy(r[metric])} r={3.2} className={r.predicted === r.label ? 'hard-pt' : 'hard-pt wrong'}>
                <title>{describe(r)}</title>
              </circle>
            ))
          }
        </Chart>
      </div>
    </div>
  );
}
