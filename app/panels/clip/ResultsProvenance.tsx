import { fmt, useFormat, useMessages } from '../../i18n';
import { plural } from '../../i18n/plural';
import { currentClasses, useClassify, type ResultSet } from '../../stores/classify';
import { useModel } from '../../stores/model';
import { staleReasons } from './staleness';

/** What made the results on screen (model, backend, dtype, classes, templates), and whether that still holds. */
export function ResultsProvenance({ results }: { results: ResultSet }) {
  const m = useMessages();
  const f = useFormat();
  const loaded = useModel((s) => s.loaded);
  const ready = useModel((s) => s.status === 'ready');
  const c = useClassify();
  const running = c.run.status === 'text' || c.run.status === 'running';
  const { classes } = currentClasses(c.classesText, c.preset !== 'custom');
  const templates = c.presetTemplates.length ? c.presetTemplates : [c.template];
  // While a run fills these results they are the current ones by construction.
  const reasons = running ? [] : staleReasons(results, { model: loaded, classes, templates });
  const backend = results.device === 'webgpu' ? 'WebGPU' : 'WASM';
  const list = new Intl.ListFormat(f.locale, { type: 'conjunction' });
  return (
    <div className="provenance" data-testid="results-provenance" data-model={results.model} data-device={results.device} data-dtype={results.dtype} data-stale={reasons.join(' ')}>
      <p className="muted small">
        {fmt(m.clip.madeBy, {
          model: results.model,
          backend,
          dtype: results.dtype,
          classes: plural(m.clip.nClasses, results.classes.length, f.locale),
          templates: results.templates.length > 3 ? f.num(results.templates.length) : results.templates.map((t) => `“${t}”`).join(', '),
        })}
      </p>
      {reasons.length > 0 && (
        <div className="warn small" role="status" data-testid="results-stale">
          <p>{fmt(m.clip.stale, { what: list.format(reasons.map((r) => m.clip.staleWhat[r])) })}</p>
          <button type="button" className="small primary" disabled={!ready || running} onClick={() => void c.classify()} data-testid="rescore">
            {m.clip.rescore}
          </button>
        </div>
      )}
    </div>
  );
}
