import { useId } from 'react';
import { linear } from './scale';
import { ChartFrame } from './ChartFrame';
import { ChartTooltip } from './ChartTooltip';
import { useChartCursor } from './useChartCursor';

export interface Series {
  id: string;
  label: string;
  color: string;
  dashed?: boolean;
  /** a non-finite y is a gap in the line */
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
  /** categorical x: point x is an index into these labels (shots, severities) */
  xLabels?: string[];
  /** fixed y ticks instead of "nice" ones */
  yTicks?: number[];
  /** a circle per point, with a <title> and data-x / data-value (tests read them) */
  markers?: boolean;
  /** hover / arrow-key tooltip at the nearest x (default on) */
  interactive?: boolean;
  /** the panel's class prefix (`bn`, `x`): elements are `${cls}-line`, `${cls}-tick`, ... */
  cls: string;
}

const W = 600;
const H = 280;
const M = { top: 14, right: 16, bottom: 44, left: 62 };

/**
 * Several series overlaid on one pair of axes, with the legend inside the SVG so exports keep it. Hovering (or
 * focusing and using the arrow keys) shows the values at the nearest x.
 */
export function LineChart(props: Props) {
  const { title, xLabel, yLabel, series, yMin, yMax, formatY = String, empty, fileName, testId, integerX, xLabels, yTicks, markers, interactive = true, cls } = props;
  const formatX = xLabels ? (v: number) => xLabels[v] ?? '' : (props.formatX ?? String);
  const titleId = useId();
  const all = series.flatMap((s) => s.points);
  const steps = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const cursor = useChartCursor(steps.length);
  const legendRows = Math.ceil(series.length / 3);
  const plotBottom = H - M.bottom - legendRows * 16;

  if (all.length === 0) {
    return (
      <ChartFrame title={title} fileName={fileName} testId={testId} cls={cls} disabled>
        <p className="empty-state">{empty}</p>
      </ChartFrame>
    );
  }
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y).filter(Number.isFinite);
  // one category sits in the middle of the axis
  const x = xLabels
    ? linear(xLabels.length > 1 ? 0 : -1, Math.max(1, xLabels.length - 1), M.left, W - M.right, 6, false)
    : linear(Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1), M.left, W - M.right, 6);
  const y = linear(yMin ?? Math.min(...ys), yMax ?? Math.max(...ys), plotBottom, M.top, 5, yMin === undefined || yMax === undefined);
  const xTicks = xLabels ? xLabels.map((_, i) => i) : x.ticks.filter((t) => !integerX || Number.isInteger(t));
  const hx = cursor.index === null ? null : steps[cursor.index];

  const clampY = (v: number) => y(Math.max(y.domain[0], Math.min(y.domain[1], v)));
  const path = (pts: { x: number; y: number }[]) =>
    pts.reduce((d, p, i) => (Number.isFinite(p.y) ? `${d}${d && Number.isFinite(pts[i - 1]?.y) ? 'L' : 'M'}${x(p.x).toFixed(1)},${clampY(p.y).toFixed(1)}` : d), '');

  const onMove = (e: React.PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const vx = ((e.clientX - r.left) / r.width) * W;
    const v = x.domain[0] + ((vx - M.left) / (W - M.left - M.right)) * (x.domain[1] - x.domain[0]);
    let best = 0;
    steps.forEach((s, i) => Math.abs(s - v) < Math.abs(steps[best] - v) && (best = i));
    cursor.setIndex(best);
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
    <ChartFrame title={title} fileName={fileName} testId={testId} cls={cls}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className={`${cls}-chart ${cls}-svg`}
        role="img"
        aria-labelledby={titleId}
        {...(interactive && { ...cursor.svgProps, onPointerMove: onMove })}
        data-series={series.length}
      >
        <title id={titleId}>{`${title}. ${summary}`}</title>
        {(yTicks ?? y.ticks).map((t) => (
          <g key={`y${t}`}>
            <line className={`${cls}-grid`} x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text className={`${cls}-tick`} x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle">
              {formatY(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} className={`${cls}-tick`} x={x(t)} y={plotBottom + 16} textAnchor="middle">
            {formatX(t)}
          </text>
        ))}
        <line className={`${cls}-axis`} x1={M.left} x2={W - M.right} y1={plotBottom} y2={plotBottom} />
        <line className={`${cls}-axis`} x1={M.left} x2={M.left} y1={M.top} y2={plotBottom} />
        <text className={`${cls}-axis-label`} x={(M.left + W - M.right) / 2} y={plotBottom + 34} textAnchor="middle">
          {xLabel}
        </text>
        <text className={`${cls}-axis-label`} transform={`translate(14 ${(M.top + plotBottom) / 2}) rotate(-90)`} textAnchor="middle">
          {yLabel}
        </text>
        {series.map((s) => (
          <g key={s.id} data-series={s.id}>
            <path
              className={`${cls}-line`}
              d={path(s.points)}
              stroke={s.color}
              strokeDasharray={s.dashed ? '5 4' : undefined}
              fill="none"
              data-series={s.id}
              data-points={s.points.length}
            />
            {markers &&
              s.points.map((p, i) =>
                Number.isFinite(p.y) ? (
                  <circle key={i} className={`${cls}-point`} cx={x(p.x)} cy={clampY(p.y)} r={3.5} fill={s.color} data-x={formatX(p.x)} data-value={p.y}>
                    <title>{`${s.label} · ${formatX(p.x)}: ${formatY(p.y)}`}</title>
                  </circle>
                ) : null,
              )}
          </g>
        ))}
        {series.map((s, i) => (
          <g key={`lg${s.id}`} transform={`translate(${M.left + (i % 3) * 175} ${H - 8 - (legendRows - 1 - Math.floor(i / 3)) * 16})`}>
            <line x1={0} x2={22} y1={-4} y2={-4} stroke={s.color} strokeWidth={2.5} strokeDasharray={s.dashed ? '5 4' : undefined} />
            <text className={`${cls}-legend`} x={28} y={0}>
              {s.label}
            </text>
          </g>
        ))}
        {hx !== null && (
          <g className="chart-cursor-marks" pointerEvents="none">
            <line className={`${cls}-cursor`} x1={x(hx)} x2={x(hx)} y1={M.top} y2={plotBottom} />
            {series.map((s) => {
              const p = nearest(s);
              return p && Number.isFinite(p.y) ? <circle key={s.id} cx={x(p.x)} cy={y(p.y)} r={3.5} fill={s.color} /> : null;
            })}
          </g>
        )}
      </svg>
      {hx !== null && (
        <ChartTooltip cls={cls}>
          <strong>
            {xLabel}: {formatX(hx)}
          </strong>
          {series.map((s) => {
            const p = nearest(s);
            return (
              <span key={s.id}>
                <span className={`${cls}-swatch`} style={{ background: s.color }} aria-hidden="true" /> {s.label}: {p ? formatY(p.y) : '–'}
              </span>
            );
          })}
        </ChartTooltip>
      )}
    </ChartFrame>
  );
}
