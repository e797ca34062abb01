import { useEffect, useState } from 'react';
import { fmt, useMessages } from '../../i18n';
import type { ModelState } from '../../stores/model-store';
import { listCachedModels, type CachedModel } from '../../../src/runtime/model-cache';

const HUB = 'https://huggingface.co';

/**
 * The Hub cannot be reached: say so, and offer what works right here — a folder from disk, a
 * self-hosted server, or a model this browser already stores (one click loads it offline).
 */
export function HubUnreachable({ s, tid }: { s: ModelState; tid(name: string): string }) {
  const m = useMessages();
  const [cached, setCached] = useState<CachedModel[] | null>(null);
  useEffect(() => {
    void listCachedModels()
      .then((all) => setCached(all.filter((g) => g.model !== 'ONNX Runtime')))
      .catch(() => setCached([]));
  }, []);
  return (
    <div className="hub-unreachable" data-testid={tid('hub-unreachable')}>
      <p>{m.model.hubUnreachable}</p>
      <div className="actions">
        <button type="button" onClick={() => s.set({ kind: 'folder' })} data-testid={tid('use-folder')}>
          {m.model.useFolder}
        </button>
        <button type="button" onClick={() => s.set({ kind: 'url' })} data-testid={tid('use-url')}>
          {m.model.useUrl}
        </button>
      </div>
      {cached && cached.length === 0 && <p className="muted">{m.model.noCached}</p>}
      {cached && cached.length > 0 && (
        <>
          <p>{m.model.cachedHeading}</p>
          <ul className="plain">
            {cached.map((g) => (
              <li key={g.host + g.model}>
                <button
                  type="button"
                  className="small"
                  data-testid={tid('use-cached')}
                  onClick={() => {
                    s.set(g.host === HUB ? { kind: 'hub', hubId: g.model } : { kind: 'url', host: g.host + '/', urlId: g.model });
                    void s.load();
                  }}
                >
                  {fmt(m.model.useCached, { model: g.model })}
                </button>{' '}
                <span className="muted small">{g.host}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
