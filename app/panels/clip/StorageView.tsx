import { useCallback, useEffect, useState } from 'react';
import { clipWorker } from '../../workers/clip-client';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useModel } from '../../stores/model';
import { useClassify } from '../../stores/classify';
import type { CachedModel, StorageEstimate } from '../../../src/runtime/model-cache';

/** The models this browser stores (Cache API), with sizes, and buttons to delete them. */
export function StorageView() {
  const m = useMessages();
  const f = useFormat();
  const status = useModel((s) => s.status);
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<{ models: CachedModel[]; estimate: StorageEstimate | null; embeddings: number } | null>(null);
  const [note, setNote] = useState('');

  const refresh = useCallback(async () => setData(await clipWorker().listCache()), []);
  useEffect(() => {
    if (open) void refresh();
  }, [open, status, refresh]);

  const total = data?.models.reduce((a, g) => a + g.size, 0) ?? 0;

  return (
    <details className="storage" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="storage">
      <summary>{m.storage.heading}</summary>
      {data && (
        <div>
          {data.models.length === 0 ? (
            <p className="muted">{m.storage.empty}</p>
          ) : (
            <table className="table">
              <tbody>
                {data.models.map((g) => (
                  <tr key={g.host + g.model} data-testid="stored-model">
                    <th scope="row">
                      {g.model}
                      <div className="muted small">{g.host}</div>
                    </th>
                    <td>{fmt(m.storage.files, { n: g.files.length })}</td>
                    <td className="num">{f.bytes(g.size)}</td>
                    <td>
                      <button
                        type="button"
                        className="ghost small"
                        aria-label={`${m.common.remove} ${g.model}`}
                        onClick={async () => {
                          await clipWorker().clearCache({ host: g.host, model: g.model });
                          await refresh();
                        }}
                      >
                        {m.common.remove}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            {fmt(m.storage.total, { size: f.bytes(total) })}
            {data.estimate && <span className="muted"> · {fmt(m.storage.quota, { used: f.bytes(data.estimate.used), quota: f.bytes(data.estimate.quota) })}</span>}
          </p>
          <div className="actions">
            <button
              type="button"
              onClick={async () => {
                await clipWorker().clearCache();
                setNote(m.storage.cleared);
                await refresh();
              }}
              data-testid="clear-models"
            >
              {m.storage.clear}
            </button>
            <button
              type="button"
              onClick={async () => {
                await clipWorker().clearEmbeddings();
                await useClassify.getState().forget();
                setNote(m.storage.cleared);
                await refresh();
              }}
            >
              {m.storage.clearEmbeddings} ({data.embeddings})
            </button>
            <button type="button" className="ghost" onClick={() => void refresh()}>
              {m.storage.refresh}
            </button>
          </div>
          <p aria-live="polite" className="muted">
            {note}
          </p>
        </div>
      )}
    </details>
  );
}
