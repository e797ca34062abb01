import { useMemo, useRef, useState } from 'react';
import type { ImageItem } from '../../stores/images';
import { Thumb } from './Thumb';
import { PALETTE } from '../../components/charts/scale';

export interface MapPoint {
  id: string;
  x: number;
  y: number;
  /** colour group (index into groups), -1 = none */
  group: number;
}

const W = 640;
const H = 460;
const PAD = 28;

/** Ray casting: is (x, y) inside the polygon? */
function inside(x: number, y: number, poly: [number, number][]): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** The dot nearest to `from` in an arrow key's direction (off-axis distance counts double), or -1. */
function nextDot(pts: [number, number][], from: number, key: string): number {
  const dir = ({ ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] } as Record<string, [number, number]>)[key];
  let best = -1;
  let bestCost = Infinity;
  pts.forEach(([x, y], i) => {
    const dx = x - pts[from][0];
    const dy = y - pts[from][1];
    const along = dx * dir[0] + dy * dir[1];
    const across = Math.abs(dx * dir[1] - dy * dir[0]);
    // same-spot dots are reached in list order
    const ahead = along > 0 || (along === 0 && across === 0 && (key === 'ArrowRight' || key === 'ArrowDown' ? i > from : i < from));
    if (i === from || !ahead) return;
    const cost = along + 2 * across;
    if (cost < bestCost) [best, bestCost] = [i, cost];
  });
  return best;
}

/**
 * The 2-D map: one dot per image coloured by group, class prompts as labelled diamonds, hover shows
 * the image, dragging draws a lasso that selects the dots inside it. Keyboard: the map takes focus;
 * arrow keys move to the nearest dot that way (showing its image), Space or Enter adds it to the
 * selection or takes it out, Escape (or leaving the map) leaves the dots.
 */
export function ScatterMap({
  points,
  prompts,
  groups,
  items,
  axis,
  selected = [],
  onSelect,
}: {
  points: MapPoint[];
  prompts: { name: string; x: number; y: number }[];
  groups: string[];
  items: Map<string, ImageItem>;
  axis: [string, string];
  selected?: string[];
  onSelect(ids: string[]): void;
}) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<{ id: string; sx: number; sy: number } | null>(null);
  const [lasso, setLasso] = useState<[number, number][] | null>(null);
  const [active, setActive] = useState(-1);
  const scale = useMemo(() => {
    const xs = [...points.map((p) => p.x), ...prompts.map((p) => p.x)];
    const ys = [...points.map((p) => p.y), ...prompts.map((p) => p.y)];
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    const sx = (v: number) => PAD + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * PAD);
    const sy = (v: number) => H - PAD - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * PAD);
    return { sx, sy };
  }, [points, prompts]);
  const toSvg = (e: React.PointerEvent): [number, number] => {
    const r = svgRef.current!.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * W, ((e.clientY - r.top) / r.height) * H];
  };
  const color = (g: number) => (g < 0 ? 'var(--muted)' : PALETTE[g % PALETTE.length]);
  const onKey = (e: React.KeyboardEvent) => {
    if (!points.length) return;
    const cur = active >= 0 && active < points.length ? active : -1;
    if (e.key === 'Escape') {
      setActive(-1);
      setHover(null);
      return;
    }
    if ((e.key === ' ' || e.key === 'Enter') && cur >= 0) {
      e.preventDefault();
      const id = points[cur].id;
      onSelect(selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id]);
      return;
    }
    if (!e.key.startsWith('Arrow')) return;
    e.preventDefault();
    const screen = points.map((p): [number, number] => [scale.sx(p.x), scale.sy(p.y)]);
    // the first key press starts at the leftmost dot
    const to = cur < 0 ? screen.reduce((b, q, i) => (q[0] < screen[b][0] ? i : b), 0) : nextDot(screen, cur, e.key);
    if (to < 0) return;
    setActive(to);
    setHover({ id: points[to].id, sx: screen[to][0], sy: screen[to][1] });
  };
  const activeDot = active >= 0 && active < points.length ? points[active] : null;

  return (
    <div className="x-map-wrap">
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        className="x-svg x-map"
        role="img"
        aria-label={axis.join(' / ')}
        tabIndex={points.length ? 0 : undefined}
        aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Space Escape"
        data-active={activeDot?.id}
        onKeyDown={onKey}
        onBlur={() => {
          // leaving the map ends the keyboard walk: no ring left on the last dot (the next arrow starts over)
          setActive(-1);
          setHover(null);
        }}
        onPointerDown={(e) => {
          (e.target as Element).setPointerCapture?.(e.pointerId);
          setLasso([toSvg(e)]);
        }}
        onPointerMove={(e) => lasso && setLasso([...lasso, toSvg(e)])}
        onPointerUp={() => {
          if (lasso && lasso.length > 2) onSelect(points.filter((p) => inside(scale.sx(p.x), scale.sy(p.y), lasso)).map((p) => p.id));
          setLasso(null);
        }}
      >
        <rect className="x-map-frame" x={PAD / 2} y={PAD / 2} width={W - PAD} height={H - PAD} fill="none" />
        <text className="x-label" x={W / 2} y={H - 4} textAnchor="middle">
          {axis[0]}
        </text>
        <text className="x-label" transform={`translate(10 ${H / 2}) rotate(-90)`} textAnchor="middle">
          {axis[1]}
        </text>
        {points.map((p) => (
          <circle
            key={p.id}
            className={selected.includes(p.id) ? 'x-dot selected' : 'x-dot'}
            cx={scale.sx(p.x)}
            cy={scale.sy(p.y)}
            r={5}
            fill={color(p.group)}
            data-id={p.id}
            onPointerEnter={() => setHover({ id: p.id, sx: scale.sx(p.x), sy: scale.sy(p.y) })}
            onPointerLeave={() => setHover(null)}
          >
            <title>{`${items.get(p.id)?.path ?? p.id}${p.group >= 0 ? ` · ${groups[p.group]}` : ''}`}</title>
          </circle>
        ))}
        {prompts.map((p, i) => (
          <g key={p.name} transform={`translate(${scale.sx(p.x)} ${scale.sy(p.y)})`} data-prompt={p.name}>
            <rect x={-6} y={-6} width={12} height={12} transform="rotate(45)" fill={PALETTE[i % PALETTE.length]} className="x-prompt" />
            <text className="x-prompt-label" x={scale.sx(p.x) > W * 0.7 ? -9 : 9} y={4} textAnchor={scale.sx(p.x) > W * 0.7 ? 'end' : 'start'}>
              {p.name}
            </text>
          </g>
        ))}
        {activeDot && <circle className="x-dot-focus" cx={scale.sx(activeDot.x)} cy={scale.sy(activeDot.y)} r={9} />}
        {lasso && <polygon className="x-lasso" points={lasso.map((q) => q.join(',')).join(' ')} />}
      </svg>
      {hover && (
        <div className="x-hover" style={{ left: `${(hover.sx / W) * 100}%`, top: `${(hover.sy / H) * 100}%` }} data-testid="map-hover">
          <Thumb item={items.get(hover.id)} size={96} />
          <span className="small">{items.get(hover.id)?.name}</span>
        </div>
      )}
      <ul className="x-legend-list">
        {groups.map((g, i) => (
          <li key={g}>
            <span className="x-swatch" style={{ background: color(i) }} /> {g}
          </li>
        ))}
      </ul>
    </div>
  );
}
