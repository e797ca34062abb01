import { useFormat, useMessages, fmt } from '../../i18n';
import { Chart } from './charts';
import { Thumb } from './Thumb';
import type { Derived } from './derive';

/** AVH histogram per class (shared bins) beside that class's hardest images. */
export function Histograms({ d, classes }: { d: Derived; classes: string[] }) {
  const m = useMessages();
  const f = useFormat();
  const { edges, counts } = d.histograms;
  const shown = classes.map((c, k) => ({ c, k, n: counts[k].reduce((a, b) => a + b, 0) })).filter((x) => x.n > 0);
  const maxCount = Math.max(1, ...counts.flat());
  const x: [number, number] = [edges[0], edges[edges.length - 1]];
  const bin = (b: number, v: number) => `${f.num(edges[b], 3)}–${f.num(edges[b + 1], 3)}: ${v}`;
  return (
    <div className="hard-classes" data-testid="hard-histograms">
      {shown.slice(0, 24).map(({ c, k, n }) => (
        <figure key={k} className="hard-class card">
          <figcaption>
            <strong>{c}</strong> <span className="muted small">{fmt(m.hardness.nImages, { n })}</span>
          </figcaption>
          <Chart title={fmt(m.hardness.histTitle, { label: c })} xLabel={m.hardness.avh} yLabel={m.hardness.count} x={x} y={[0, maxCount]} w={300} h={150} fmtX={(v) => f.num(v, 3)} fmtY={(v) => f.num(v, 0)}
            cursor={{ count: counts[k].length, at: (b) => [(edges[b] + edges[b + 1]) / 2, counts[k][b]], text: (b) => bin(b, counts[k][b]) }}
          >
            {({ sx, sy }) =>
              counts[k].map((v, b) =>
                v > 0 ? (
                  <rect key={b} x={sx(edges[b]) + 0.5} width={Math.max(1, sx(edges[b + 1]) - sx(edges[b]) - 1)} y={sy(v)} height={sy(0) - sy(v)} className="hard-bar">
                    <title>{bin(b, v)}</title>
                  </rect>
                ) : null,
              )
            }
          </Chart>
          <div className="hard-hardest" aria-label={fmt(m.hardness.hardestOf, { label: c })}>
            <span className="muted small">{m.hardness.hardest}</span>
            {d.hardest[k].map((r) => (
              <span key={r.data.item.id} title={`${r.path} · AVH ${f.num(r.avh, 4)}`}>
                <Thumb item={r.data.item} size={40} />
              </span>
            ))}
          </div>
        </figure>
      ))}
    </div>
  );
}
