/** Linear scales and "nice" ticks (1, 2, 5 × 10^k) for the small SVG charts. */

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
}

export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const r = raw / mag;
  return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

/** Scale from [d0, d1] to [r0, r1], with the domain widened to whole tick steps when `nice`. */
export function linear(d0: number, d1: number, r0: number, r1: number, count = 5, nice = true): Scale {
  if (!(d1 > d0)) d1 = d0 + 1;
  const step = niceStep(d1 - d0, count);
  if (nice) {
    d0 = Math.floor(d0 / step + 1e-9) * step;
    d1 = Math.ceil(d1 / step - 1e-9) * step;
  }
  const ticks: number[] = [];
  for (let t = Math.ceil(d0 / step - 1e-9) * step; t <= d1 + step * 1e-6; t += step) ticks.push(Number(t.toPrecision(12)));
  const f = ((v: number) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0)) as Scale;
  f.domain = [d0, d1];
  f.ticks = ticks;
  return f;
}

/** Colours that stay apart on light and dark backgrounds (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#7f7f7f'];
