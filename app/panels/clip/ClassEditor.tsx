import { useId } from 'react';
import { currentClasses, useClassify, type Preset } from '../../stores/classify';
import { useModel } from '../../stores/model';
import { useImages } from '../../stores/images';
import { fmt, useFormat, useMessages } from '../../i18n';
import { ENSEMBLE_PRESETS } from '../../../src/clip/presets';
import { ProgressBar } from '../../components/ProgressBar';
import { useErrorText } from '../../i18n/errors';
import { plural } from '../../i18n/plural';
import { doubledArticles, templateArticle, withoutArticle } from './article-check';

export function ClassEditor() {
  const m = useMessages();
  const f = useFormat();
  const errText = useErrorText();
  const s = useClassify();
  const ready = useModel((x) => x.status === 'ready');
  const nImages = useImages((x) => x.items.length);
  const nMissing = useImages((x) => x.items.filter((i) => !i.file && !i.hash).length);
  const ids = { preset: useId(), classes: useId(), template: useId() };
  const { classes, duplicate, blank, trimmed } = currentClasses(s.classesText, s.preset !== 'custom');
  const doubled = s.presetTemplates.length ? [] : doubledArticles(s.template, classes);
  const running = s.run.status === 'text' || s.run.status === 'running';
  const blocked = !ready ? m.clip.needModel : nImages === 0 ? m.clip.needImages : classes.length === 0 ? m.clip.classErrorsEmpty : duplicate ? fmt(m.clip.classErrorsDup, { name: duplicate }) : undefined;
  const elapsed = (Date.now() - s.run.startedAt) / 1000;
  const eta = s.run.done > 0 ? Math.round((elapsed / s.run.done) * (s.run.total - s.run.done)) : null;

  return (
    <section className="section" aria-labelledby="classes-h">
      <h3 id="classes-h">{m.clip.classes}</h3>
      <div className="field">
        <label htmlFor={ids.preset}>{m.clip.preset}</label>
        <select id={ids.preset} value={s.preset} onChange={(e) => void s.setPreset(e.target.value as Preset)} disabled={running} data-testid="preset">
          <option value="custom">{m.clip.presetCustom}</option>
          {ENSEMBLE_PRESETS.map((p) => (
            <option key={p.name} value={p.name}>
              {fmt(m.clip.presetOption, { label: p.label, classes: f.num(p.classes), templates: f.num(p.templates) })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.classes}>
          {m.clip.classList} <span className="muted">({classes.length})</span>
        </label>
        <textarea
          id={ids.classes}
          rows={8}
          value={s.classesText}
          onChange={(e) => s.setClassesText(e.target.value)}
          spellCheck={false}
          disabled={running}
          aria-describedby={`${ids.classes}-help`}
          data-testid="classes"
        />
        <p id={`${ids.classes}-help`} className="help">
          {m.clip.classHelp}
        </p>
        {(blank > 0 || trimmed > 0) && (
          <p className="muted small" role="status" data-testid="class-notes">
            {[blank > 0 ? plural(m.clip.classNoteBlank, blank, f.locale) : '', trimmed > 0 ? plural(m.clip.classNoteTrimmed, trimmed, f.locale) : ''].filter(Boolean).join(' ')}
          </p>
        )}
        {duplicate && (
          <p className="warn small" role="status" data-testid="class-duplicate">
            {fmt(m.clip.classDuplicate, { name: duplicate })}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.template}>{m.clip.template}</label>
        {s.presetTemplates.length ? (
          <p className="help" id={ids.template}>
            {fmt(m.clip.ensembleNote, { n: s.presetTemplates.length })}
          </p>
        ) : (
          <>
            <input id={ids.template} value={s.template} onChange={(e) => s.setTemplate(e.target.value)} disabled={running} spellCheck={false} data-testid="template" aria-describedby={`${ids.template}-help`} />
            <p id={`${ids.template}-help`} className="help">
              {m.clip.templateHelp}
            </p>
            {doubled.length > 0 && (
              <div className="warn small" role="status" data-testid="article-doubled">
                <p>
                  {plural(m.clip.articleDoubled, doubled.length, f.locale, { article: templateArticle(s.template) ?? '', example: doubled[0], result: s.template.replace('{}', doubled[0]) })}
                </p>
                <button type="button" className="small" onClick={() => s.setTemplate(withoutArticle(s.template))} data-testid="article-fix">
                  {fmt(m.clip.articleFix, { fixed: withoutArticle(s.template) })}
                </button>
              </div>
            )}
          </>
        )}
      </div>
      <div className="actions">
        <button type="button" className="primary" disabled={!!blocked || running} onClick={() => void s.classify()} data-testid="classify">
          {running ? m.clip.classifying : m.clip.classify}
        </button>
        {running && (
          <button type="button" onClick={() => s.cancel()} data-testid="cancel-classify">
            {m.common.cancel}
          </button>
        )}
      </div>
      {blocked && !running && <p className="muted small" data-testid="classify-blocked">{blocked}</p>}
      {s.interrupted && !running && (
        <div className="warn small" role="status" data-testid="interrupted-run" data-done={s.interrupted.done} data-total={s.interrupted.total}>
          <p>
            {fmt(m.clip.interrupted, { done: s.interrupted.done, total: s.interrupted.total })}{' '}
            {nMissing > 0 ? fmt(m.clip.interruptedDrop, { n: nMissing }) : m.clip.interruptedReady}
          </p>
          <button type="button" disabled={!ready || nMissing > 0} onClick={() => void s.resume()} data-testid="resume-run">
            {m.clip.resume}
          </button>
        </div>
      )}
      <div aria-live="polite" data-testid="run-status" data-status={s.run.status} data-computed={s.run.computed}>
        {s.run.status === 'text' && (
          <ProgressBar value={s.run.textTotal ? s.run.textDone / s.run.textTotal : null} label={m.clip.classifying} text={`${s.run.textDone} / ${s.run.textTotal}`} />
        )}
        {s.run.status === 'running' && (
          <ProgressBar
            value={s.run.total ? s.run.done / s.run.total : null}
            label={m.clip.classifying}
            text={`${fmt(m.clip.progress, { done: s.run.done, total: s.run.total })}${eta !== null ? ' · ' + fmt(m.common.eta, { s: eta }) : ''}`}
          />
        )}
        {s.run.status === 'error' && (
          <p className="error" role="alert">
            {errText(s.run.error)}
          </p>
        )}
        {s.run.storageFull && (
          <p className="warn small" role="status" data-testid="storage-full">
            {m.clip.storageFull}
          </p>
        )}
        {s.unsaved !== null && (
          <p className="warn small" role="alert" data-testid="results-unsaved" data-reason={s.unsaved === 'quota' ? 'quota' : 'error'}>
            {s.unsaved === 'quota' ? m.clip.resultsUnsavedQuota : fmt(m.clip.resultsUnsaved, { reason: s.unsaved })}
          </p>
        )}
        {s.run.notices.map((n, i) => (
          <p key={i} className="warn small">
            {n}
          </p>
        ))}
      </div>
    </section>
  );
}
