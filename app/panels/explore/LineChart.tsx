import { Fragment } from 'react';

export interface Series {
  name: string;
  /** one value per x position; null = no point */
  values: (number | null)[];
  color: string;
  dashed?: boolean;
}

const W = 560;
const H = 300;
const PAD = { left: 56, right: 16, top: 14, bottom: 74 };

/**
 * Accuracy-style line chart: categorical x (shots, severities), y from 0 to 1 shown in percent.
 * Every point is a circle with a <title> (hover) and data attributes (tests read them).
 */
export function LineChart({ x, series, xLabel, yLabel, format }: { x: string[]; series: Series[]; xLabel: string; yLabel: string; format: (v: number) => string }) {
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const px = (i: number) => PAD.left + (x.length <= 1 ? iw / 2 : (i * iw) / (x.length - 1));
  const py = (v: number) => PAD.top + ih * (1 - Math.max(0, Math.min(1, v)));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const legendY = H - 18;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="x-svg" role="img" aria-label={`${yLabel} / ${xLabel}`}>
      {ticks.map((t) => (
        <g key={t}>
          <line className="x-grid" x1={PAD.left} x2={W - PAD.right} y1={py(t)} y2={py(t)} />
          <text className="x-tick" x={PAD.left - 6} y={py(t)} textAnchor="end" dominantBaseline="middle">
            {format(t)}
          </text>
        </g>
      ))}
      <line className="x-axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + ih} />
      <line className="x-axis" x1={PAD.left} x2={W - PAD.right} y1={PAD.top + ih} y2={PAD.top + ih} />
      {x.map((label, i) => (
        <text key={i} className="x-tick" x={px(i)} y={PAD.top + ih + 16} textAnchor="middle">
          {label}
        </text>
      ))}
      <text className="x-label" x={PAD.left + iw / 2} y={PAD.top + ih + 36} textAnchor="middle">
        {xLabel}
      </text>
      <text className="x-label" transform={`translate(14 ${PAD.top + ih / 2}) rotate(-90)`} textAnchor="middle">
        {yLabel}
      </text>
      {series.map((s) => {
        const pts = s.values.map((v, i) => (v === null || !Number.isFinite(v) ? null : ([px(i), py(v), v] as const)));
        const d = pts.reduce((acc, p, i) => (p ? `${acc}${acc && pts[i - 1] ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}` : acc), '');
        return (
          <g key={s.name} data-series={s.name}>
            <path d={d} fill="none" stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? '6 4' : undefined} />
            {pts.map((p, i) =>
              p ? (
                <circle key={i} className="x-point" cx={p[0]} cy={p[1]} r={3.5} fill={s.color} data-x={x[i]} data-value={p[2]}>
                  <title>{`${s.name} · ${x[i]}: ${format(p[2])}`}</title>
                </circle>
              ) : null,
            )}
          </g>
        );
      })}
      {series.map((s, i) => {
        const lx = PAD.left + (i * iw) / Math.max(1, series.length);
        return (
          <Fragment key={s.name}>
            <line x1={lx} x2={lx + 22} y1={legendY} y2={legendY} stroke={s.color} strokeWidth={2.5} strokeDasharray={s.dashed ? '6 4' : undefined} />
            <text className="x-legend" x={lx + 28} y={legendY} dominantBaseline="middle">
              {s.name}
            </text>
          </Fragment>
        );
      })}
    </svg>
  );
}

/** Colours that stay apart on light and dark backgrounds (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#7f7f7f'];
