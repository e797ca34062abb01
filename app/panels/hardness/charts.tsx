/**
 * Small SVG charts (axes with labels, titles for screen readers, tooltips via <title>); with a `cursor`, the
 * chart takes focus and the arrow keys walk its points, as the app's other charts do (useChartCursor).
 */
import type { ReactNode } from 'react';
import { ChartTooltip } from '../../components/charts/ChartTooltip';
import { useChartCursor } from '../../components/charts/useChartCursor';

const PAD = { l: 44, r: 20, t: 10, b: 34 };

function ticks(lo: number, hi: number, n = 4): number[] {
  return Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
}

function Axes({ w, h, x, y, xLabel, yLabel, fmtX, fmtY }: { w: number; h: number; x: [number, number]; y: [number, number]; xLabel: string; yLabel: string; fmtX(v: number): string; fmtY(v: number): string }) {
  const sx = (v: number) => PAD.l + ((v - x[0]) / (x[1] - x[0] || 1)) * (w - PAD.l - PAD.r);
  const sy = (v: number) => h - PAD.b - ((v - y[0]) / (y[1] - y[0] || 1)) * (h - PAD.t - PAD.b);
  return (
    <g className="axes" fontSize="10">
      <line x1={PAD.l} y1={h - PAD.b} x2={w - PAD.r} y2={h - PAD.b} stroke="currentColor" opacity="0.5" />
      <line x1={PAD.l} y1={PAD.t} x2={PAD.l} y2={h - PAD.b} stroke="currentColor" opacity="0.5" />
      {ticks(x[0], x[1]).map((v, i) => (
        <text key={`x${i}`} x={sx(v)} y={h - PAD.b + 12} textAnchor="middle" fill="currentColor">
          {fmtX(v)}
        </text>
      ))}
      {ticks(y[0], y[1]).map((v, i) => (
        <text key={`y${i}`} x={PAD.l - 4} y={sy(v) + 3} textAnchor="end" fill="currentColor">
          {fmtY(v)}
        </text>
      ))}
      <text x={(PAD.l + w - PAD.r) / 2} y={h - 4} textAnchor="middle" fill="currentColor">
        {xLabel}
      </text>
      <text transform={`translate(10 ${(PAD.t + h - PAD.b) / 2}) rotate(-90)`} textAnchor="middle" fill="currentColor">
        {yLabel}
      </text>
    </g>
  );
}

export function scales(w: number, h: number, x: [number, number], y: [number, number]) {
  return {
    sx: (v: number) => PAD.l + ((v - x[0]) / (x[1] - x[0] || 1)) * (w - PAD.l - PAD.r),
    sy: (v: number) => h - PAD.b - ((v - y[0]) / (y[1] - y[0] || 1)) * (h - PAD.t - PAD.b),
  };
}

export interface ChartProps {
  title: string;
  xLabel: string;
  yLabel: string;
  x: [number, number];
  y: [number, number];
  w?: number;
  h?: number;
  fmtX?(v: number): string;
  fmtY?(v: number): string;
  children(s: ReturnType<typeof scales>): ReactNode;
  testId?: string;
  /** points the keyboard walks, in order: where each is (data units) and what its tooltip says */
  cursor?: { count: number; at(i: number): [number, number]; text(i: number): string };
}

export function Chart({ title, xLabel, yLabel, x, y, w = 420, h = 240, fmtX = (v) => v.toFixed(2), fmtY = (v) => v.toFixed(2), children, testId, cursor }: ChartProps) {
  const c = useChartCursor(cursor?.count ?? 0);
  const s = scales(w, h, x, y);
  const at = c.index !== null && cursor ? cursor.at(c.index) : null;
  const svg = (
    <svg viewBox={`0 0 ${w} ${h}`} className="hard-chart" role="img" aria-label={title} data-testid={testId} {...(cursor && c.svgProps)}>
      <title>{title}</title>
      <Axes w={w} h={h} x={x} y={y} xLabel={xLabel} yLabel={yLabel} fmtX={fmtX} fmtY={fmtY} />
      {children(s)}
      {at && <circle className="hard-cursor" cx={s.sx(at[0])} cy={s.sy(at[1])} r={6} pointerEvents="none" />}
    </svg>
  );
  if (!cursor) return svg;
  return (
    <div className="hard-chart-wrap">
      {svg}
      {c.index !== null && (
        <ChartTooltip cls="hard" testId="hard-tooltip">
          {cursor.text(c.index)}
        </ChartTooltip>
      )}
    </div>
  );
}

/** Serialises an on-screen SVG chart to a file (charts export as SVG). */
export function svgBlob(svg: SVGSVGElement): Blob {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('color', getComputedStyle(svg).color);
  return new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' });
}
