import { ChartFrame } from '../../components/charts/ChartFrame';
import { linear } from '../../components/charts/scale';
import type { DeviceRow } from '../../../src/runtime/device-test';

const W = 600;
const ROW = 26;
const M = { top: 8, right: 70, bottom: 34, left: 118 };

/**
 * Horizontal bars per setting: median milliseconds per image and per prompt (lower is faster), a
 * wrong setting hatched-grey. Rows without a timing (failed) are left out.
 */
export function DeviceChart(props: { rows: DeviceRow[]; title: string; imageLabel: string; textLabel: string; wrongLabel: string; format: (v: number) => string }) {
  const rows = props.rows.filter((r) => r.image && r.text);
  const msText = (r: DeviceRow) => r.text!.median_ms / r.text!.items;
  const max = Math.max(1e-6, ...rows.flatMap((r) => [r.ms_per_image!, msText(r)]));
  const x = linear(0, max, M.left, W - M.right, 5);
  const H = M.top + rows.length * ROW * 2 + M.bottom;
  return (
    <ChartFrame title={props.title} fileName="device-test" testId="device-chart" cls="device">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title} className="device-chart">
        {x.ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={M.top} y2={H - M.bottom} className="device-grid" />
            <text x={x(t)} y={H - M.bottom + 14} textAnchor="middle" className="device-tick">
              {Number(t.toPrecision(6))}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = M.top + i * ROW * 2;
          const wrong = r.verdict === 'wrong';
          return (
            <g key={r.id} data-testid="device-bar" data-id={r.id} data-verdict={r.verdict}>
              <text x={M.left - 6} y={y + ROW - 4} textAnchor="end" className="device-label">
                {r.id}
              </text>
              {[
                { v: r.ms_per_image!, cls: 'image', label: props.imageLabel },
                { v: msText(r), cls: 'text', label: props.textLabel },
              ].map((b, k) => (
                <g key={b.cls}>
                  <rect x={M.left} y={y + k * (ROW - 4) + 2} width={Math.max(1, x(b.v) - M.left)} height={ROW - 8} className={`device-bar ${b.cls}${wrong ? ' wrong' : ''}`}>
                    <title>{`${r.id} ${b.label}: ${props.format(b.v)} ms${wrong ? ` (${props.wrongLabel})` : ''}`}</title>
                  </rect>
                  <text x={x(b.v) + 4} y={y + k * (ROW - 4) + ROW - 10} className="device-value">
                    {props.format(b.v)}
                  </text>
                </g>
              ))}
            </g>
          );
        })}
        <g transform={`translate(${M.left}, ${H - 12})`} className="device-legend">
          <rect width="10" height="10" y="-9" className="device-bar image" />
          <text x="14">{props.imageLabel} (ms)</text>
          <rect x="130" width="10" height="10" y="-9" className="device-bar text" />
          <text x="144">{props.textLabel} (ms)</text>
          <rect x="260" width="10" height="10" y="-9" className="device-bar image wrong" />
          <text x="274">{props.wrongLabel}</text>
        </g>
      </svg>
    </ChartFrame>
  );
}
