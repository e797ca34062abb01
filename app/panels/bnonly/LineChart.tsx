import { useId, useRef, useState } from 'react';
import { linear } from './chart-scale';
import { ChartFrame } from './ChartFrame';

export interface Series {
  id: string;
  label: string;
  color: string;
  dashed?: boolean;
  points: { x: number; y: number }[];
}

interface Props {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  yMin?: number;
  yMax?: number;
  formatY?: (v: number) => string;
  formatX?: (v: number) => string;
  empty: string;
  fileName: string;
  testId: string;
  /** x is a count (training steps): no ticks between whole numbers */
  integerX?: boolean;
}

const W = 600;
const H = 280;
const M = { top: 14, right: 16, bottom: 44, left: 62 };

/**
 * Several runs overlaid on one pair of axes. Hovering (or focusing and using the arrow keys) shows the values
 * at the nearest logged step; the legend is inside the SVG so exports keep it.
 */
export function LineChart({ title, xLabel, yLabel, series, yMin, yMax, formatY = String, formatX = String, empty, fileName, testId, integerX }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const titleId = useId();
  const all = series.flatMap((s) => s.points);
  const legendRows = Math.ceil(series.length / 3);
  const plotBottom = H - M.bottom - legendRows * 16;

  if (all.length === 0) {
    return (
      <ChartFrame title={title} svgRef={svgRef} fileName={fileName} testId={testId} disabled>
        <p className="empty-state">{empty}</p>
      </ChartFrame>
    );
  }
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y).filter(Number.isFinite);
  const x = linear(Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1), M.left, W - M.right, 6);
  const y = linear(yMin ?? Math.min(...ys), yMax ?? Math.max(...ys), plotBottom, M.top, 5, yMin === undefined || yMax === undefined);
  const steps = [...new Set(xs)].sort((a, b) => a - b);
  const hx = hover === null ? null : steps[Math.max(0, Math.min(steps.length - 1, hover))];

  const path = (pts: { x: number; y: number }[]) =>
    pts
      .filter((p) => Number.isFinite(p.y))
      .map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(Math.max(y.domain[0], Math.min(y.domain[1], p.y))).toFixed(1)}`)
      .join('');

  const onMove = (e: React.PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const vx = ((e.clientX - r.left) / r.width) * W;
    const v = x.domain[0] + ((vx - M.left) / (W - M.left - M.right)) * (x.domain[1] - x.domain[0]);
    let best = 0;
    steps.forEach((s, i) => Math.abs(s - v) < Math.abs(steps[best] - v) && (best = i));
    setHover(best);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowRight') setHover((h) => Math.min(steps.length - 1, (h ?? -1) + 1));
    else if (e.key === 'ArrowLeft') setHover((h) => Math.max(0, (h ?? steps.length) - 1));
    else if (e.key === 'Escape') setHover(null);
    else return;
    e.preventDefault();
  };
  const nearest = (s: Series) => {
    if (hx === null) return undefined;
    let best: { x: number; y: number } | undefined;
    for (const p of s.points) if (p.x <= hx && (!best || p.x > best.x)) best = p;
    return best;
  };
  const summary = series
    .map((s) => `${s.label}: ${s.points.length ? formatY(s.points[s.points.length - 1].y) : '–'}`)
    .join('; ');

  return (
    <ChartFrame title={title} svgRef={svgRef} fileName={fileName} testId={testId}>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        className="bn-chart"
        role="img"
        aria-labelledby={titleId}
        tabIndex={0}
        onPointerMove={onMove}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKey}
        onBlur={() => setHover(null)}
        data-series={series.length}
      >
        <title id={titleId}>{`${title}. ${summary}`}</title>
        {y.ticks.map((t) => (
          <g key={`y${t}`}>
            <line className="bn-grid" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text className="bn-tick" x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle">
              {formatY(t)}
            </text>
          </g>
        ))}
        {x.ticks.filter((t) => !integerX || Number.isInteger(t)).map((t) => (
          <text key={`x${t}`} className="bn-tick" x={x(t)} y={plotBottom + 16} textAnchor="middle">
            {formatX(t)}
          </text>
        ))}
        <line className="bn-axis" x1={M.left} x2={W - M.right} y1={plotBottom} y2={plotBottom} />
        <line className="bn-axis" x1={M.left} x2={M.left} y1={M.top} y2={plotBottom} />
        <text className="bn-axis-label" x={(M.left + W - M.right) / 2} y={plotBottom + 34} textAnchor="middle">
          {xLabel}
        </text>
        <text className="bn-axis-label" transform={`translate(14 ${(M.top + plotBottom) / 2}) rotate(-90)`} textAnchor="middle">
          {yLabel}
        </text>
        {series.map((s) => (
          <path
            key={s.id}
            className="bn-line"
            d={path(s.points)}
            stroke={s.color}
            strokeDasharray={s.dashed ? '5 4' : undefined}
            fill="none"
            data-series={s.id}
            data-points={s.points.length}
          />
        ))}
        {series.map((s, i) => (
          <g key={`lg${s.id}`} transform={`translate(${M.left + (i % 3) * 175} ${H - 8 - (legendRows - 1 - Math.floor(i / 3)) * 16})`}>
            <line x1={0} x2={22} y1={-4} y2={-4} stroke={s.color} strokeWidth={2.5} strokeDasharray={s.dashed ? '5 4' : undefined} />
            <text className="bn-legend" x={28} y={0}>
              {s.label}
            </text>
          </g>
        ))}
        {hx !== null && (
          <g className="bn-hover" pointerEvents="none">
            <line className="bn-cursor" x1={x(hx)} x2={x(hx)} y1={M.top} y2={plotBottom} />
            {series.map((s) => {
              const p = nearest(s);
              return p && Number.isFinite(p.y) ? <circle key={s.id} cx={x(p.x)} cy={y(p.y)} r={3.5} fill={s.color} /> : null;
            })}
          </g>
        )}
      </svg>
      {hx !== null && (
        <div className="bn-tooltip" role="status">
          <strong>
            {xLabel}: {formatX(hx)}
          </strong>
          {series.map((s) => {
            const p = nearest(s);
            return (
              <span key={s.id}>
                <span className="bn-swatch" style={{ background: s.color }} aria-hidden="true" /> {s.label}: {p ? formatY(p.y) : '–'}
              </span>
            );
          })}
        </div>
      )}
    </ChartFrame>
  );
}
