import { DetailsPanel } from '../../components/DetailsPanel';
import { useSafePreview } from '../../components/useSafePreview';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useErrorText } from '../../i18n/errors';
import { topK, type Row } from './results-model';

/** One result card opened below the grid: the image larger, and every class's probability (Escape closes). */
export function CardDetails({ row, classes, id, onClose }: { row: Row; classes: string[]; id: string; onClose(): void }) {
  const m = useMessages();
  const f = useFormat();
  const errText = useErrorText();
  const { item, result } = row;
  // the original, larger than the card's thumbnail (unless it failed or declares a huge size)
  const url = useSafePreview(undefined, item.file, !!result && !result.ok);
  return (
    <DetailsPanel id={id} className="card-details" testId="card-details" name={item.path} label={fmt(m.clip.detailsOf, { name: item.name })} onClose={onClose}>
      <div className="thumb">{url && <img src={url} alt={item.name} />}</div>
      <div>
        <h4 dir="auto">{item.path}</h4>
        {item.label !== undefined && <p className="muted small">{fmt(m.clip.label, { label: item.label })}</p>}
        {result && !result.ok && <p className="error small">{errText(result.error)}</p>}
        {result?.ok && (
          <table className="table" data-testid="card-details-classes">
            <caption>{m.clip.allClasses}</caption>
            <tbody>
              {topK(result, classes, classes.length).map((t) => (
                <tr key={t.index} data-class={t.name} data-prob={t.prob}>
                  <th scope="row" dir="auto">
                    {t.name}
                  </th>
                  <td className="num">{f.pct(t.prob, 1)}</td>
                  <td className="num muted">{fmt(m.clip.logit, { v: f.num(t.logit, 2) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <button type="button" className="ghost small" onClick={onClose} data-testid="card-details-close">
          {m.common.close}
        </button>
      </div>
    </DetailsPanel>
  );
}
