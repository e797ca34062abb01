import { useEffect } from 'react';
import { PanelIntro } from '../../components/PanelIntro';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useImages } from '../../stores/images';
import { useModel } from '../../stores/model';
import { useSharedModel } from '../../stores/use-shared-model';
import { useExplore } from '../../stores/explore';
import { SearchSection } from './SearchSection';
import { ProbeSection } from './ProbeSection';
import { ShiftSection } from './ShiftSection';
import { MapSection } from './MapSection';
import { IndexSection } from './IndexSection';
import './explore.css';
import { useErrorText } from '../../i18n/errors';

export default function ExplorePanel() {
  const m = useMessages();
  const f = useFormat();
  const errText = useErrorText();
  const items = useImages((s) => s.items);
  const loaded = useModel((s) => s.loaded);
  const modelStatus = useModel((s) => s.status);
  const status = useExplore((s) => s.status);
  const progress = useExplore((s) => s.progress);
  const error = useExplore((s) => s.error);
  const summary = useExplore((s) => s.summary);
  useSharedModel();

  // Embeddings follow the CLIP panel's images and model.
  useEffect(() => {
    if (loaded && items.length) void useExplore.getState().ensureEmbedded();
  }, [loaded, items]);

  const missing = !loaded ? (modelStatus === 'loading' ? m.explore.modelLoading : m.explore.needModel) : !items.length ? m.explore.needImages : null;

  return (
    <div className="explore-panel">
      <PanelIntro text={m.explore} />
      <p className="help" data-testid="keeps-note" data-keeps="partly">{m.explore.keepsNote}</p>
      {missing ? (
        <p className="empty-state" data-testid="explore-empty">
          {missing} <a href="#/clip">{m.explore.goClip}</a>
        </p>
      ) : (
        <>
          <div className="x-status" data-testid="explore-status" data-status={status} role="status">
            {status === 'embedding' && (
              <span>
                {progress?.stage === 'embed' ? fmt(m.explore.embedding, { done: progress.done, total: progress.total }) : m.explore.preparing}
              </span>
            )}
            {status === 'ready' && summary && (
              <span>
                {fmt(m.explore.ready, { n: summary.ids.length, computed: summary.computed, s: f.num(summary.seconds, 1) })}
                {summary.errors.length > 0 && <span className="error"> · {fmt(m.explore.unreadable, { n: summary.errors.length })}</span>}
              </span>
            )}
            {status === 'error' && (
              <>
                <span className="error" data-testid="explore-error">{errText(error)}</span>{' '}
                <button type="button" className="small" data-testid="explore-embed-again" onClick={() => void useExplore.getState().ensureEmbedded()}>
                  {m.explore.embedAgain}
                </button>
              </>
            )}
          </div>
          {summary && summary.errors.length > 0 && (
            <details className="errors-box">
              <summary>{fmt(m.explore.unreadable, { n: summary.errors.length })}</summary>
              <ul>
                {summary.errors.slice(0, 50).map((e) => (
                  <li key={e.id}>{errText(e.error)}</li>
                ))}
              </ul>
            </details>
          )}
          <SearchSection />
          <ProbeSection />
          <ShiftSection />
          <MapSection />
        </>
      )}
      {/* An index made by `cli embed` needs the model only, not the CLIP panel's images. */}
      {loaded && <IndexSection />}
    </div>
  );
}
