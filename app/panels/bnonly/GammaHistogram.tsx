import { useId } from 'react';
import type { Histogram } from '../../../src/bnonly/gamma';
import { ChartFrame } from '../../components/charts/ChartFrame';
import { linear } from '../../components/charts/scale';

interface Props {
  title: string;
  current: Histogram;
  currentLabel: string;
  init?: Histogram;
  initLabel: string;
  threshold: number;
  thresholdLabel: string;
  xLabel: string;
  yLabel: string;
  color: string;
  fileName: string;
  testId: string;
}

const W = 600;
const H = 260;
const M = { top: 14, right: 16, bottom: 60, left: 56 };

/** |gamma| histogram (bars: now; outline: at initialisation) with the "switched off" threshold marked. */
export function GammaHistogram(p: Props) {
  const titleId = useId();
  const plotBottom = H - M.bottom;
  const xMax = Math.max(p.current.edges[p.current.edges.length - 1], p.init ? p.init.edges[p.init.edges.length - 1] : 0, p.threshold * 2);
  const yMax = Math.max(1, ...p.current.counts, ...(p.init?.counts ?? []));
  const x = linear(0, xMax, M.left, W - M.right, 6);
  const y = linear(0, yMax, plotBottom, M.top, 4);
  const outline = (h: Histogram) => {
    let d = `M${x(h.edges[0])},${y(0)}`;
    h.counts.forEach((c, i) => (d += `L${x(h.edges[i])},${y(c)}L${x(h.edges[i + 1])},${y(c)}`));
    return `${d}L${x(h.edges[h.edges.length - 1])},${y(0)}`;
  };
  const total = p.current.counts.reduce((a, b) => a + b, 0);
  return (
    <ChartFrame title={p.title} fileName={p.fileName} testId={p.testId} cls="bn">
      <svg viewBox={`0 0 ${W} ${H}`} className="bn-chart" role="img" aria-labelledby={titleId} data-channels={total}>
        <title id={titleId}>{p.title}</title>
        {y.ticks.map((t) => (
          <g key={`y${t}`}>
            <line className="bn-grid" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text className="bn-tick" x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle">
              {t}
            </text>
          </g>
        ))}
        {x.ticks.map((t) => (
          <text key={`x${t}`} className="bn-tick" x={x(t)} y={plotBottom + 16} textAnchor="middle">
            {Number(t.toPrecision(3))}
          </text>
        ))}
        {p.current.counts.map((c, i) =>
          c > 0 ? (
            <rect
              key={i}
              className="bn-bar"
              x={x(p.current.edges[i]) + 0.5}
              width={Math.max(1, x(p.current.edges[i + 1]) - x(p.current.edges[i]) - 1)}
              y={y(c)}
              height={plotBottom - y(c)}
              fill={p.color}
            >
              <title>{`${p.current.edges[i].toFixed(3)}–${p.current.edges[i + 1].toFixed(3)}: ${c}`}</title>
            </rect>
          ) : null,
        )}
        {p.init && <path className="bn-init" d={outline(p.init)} fill="none" />}
        <line className="bn-threshold" x1={x(p.threshold)} x2={x(p.threshold)} y1={M.top} y2={plotBottom} />
        <text className="bn-legend" x={x(p.threshold) + 4} y={M.top + 10}>
          {p.thresholdLabel}
        </text>
        <line className="bn-axis" x1={M.left} x2={W - M.right} y1={plotBottom} y2={plotBottom} />
        <line className="bn-axis" x1={M.left} x2={M.left} y1={M.top} y2={plotBottom} />
        <text className="bn-axis-label" x={(M.left + W - M.right) / 2} y={plotBottom + 34} textAnchor="middle">
          {p.xLabel}
        </text>
        <text className="bn-axis-label" transform={`translate(14 ${(M.top + plotBottom) / 2}) rotate(-90)`} textAnchor="middle">
          {p.yLabel}
        </text>
        <g transform={`translate(${M.left} ${H - 6})`}>
          <rect x={0} y={-10} width={14} height={10} fill={p.color} />
          <text className="bn-legend" x={20} y={0}>
            {p.currentLabel}
          </text>
          {p.init && (
            <>
              <path className="bn-init" d="M220,-2 L220,-10 L236,-10 L236,-2" fill="none" />
              <text className="bn-legend" x={242} y={0}>
                {p.initLabel}
              </text>
            </>
          )}
        </g>
      </svg>
    </ChartFrame>
  );
}
