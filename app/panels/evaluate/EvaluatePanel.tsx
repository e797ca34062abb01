import { PanelIntro } from '../../components/PanelIntro';
import { FileDropZone } from '../../components/drop/FileDropZone';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useModel } from '../../stores/model';
import { useSharedModel } from '../../stores/use-shared-model';
import { useEvaluate, type SelectMode, type TemplateMode } from '../../stores/evaluate';
import type { Split } from '../../../src/eval/archives';
import { DATASET_KINDS, type DatasetKind } from '../../../src/eval/prompts';
import { EvaluateResult } from './EvaluateResult';
import './evaluate.css';

const DATASET_LABEL: Record<Exclude<DatasetKind, 'folder'>, string> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', stl10: 'STL-10' };

/** Zero-shot and linear-probe evaluation on CIFAR-10/100 and STL-10 archives, with the paper's figures beside. */
export default function EvaluatePanel() {
  const m = useMessages();
  const f = useFormat();
  const e = m.evaluate;
  const loaded = useModel((s) => s.loaded);
  const modelStatus = useModel((s) => s.status);
  const s = useEvaluate();
  useSharedModel();
  const running = s.status === 'running';
  const p = s.progress;
  const progressText = !p
    ? ''
    : p.type === 'read'
      ? fmt(e.reading, { done: f.bytes(p.done), total: f.bytes(p.total) })
      : p.phase === 'probe'
        ? e.phase_probe
        : fmt(e[`phase_${p.phase}`], { done: p.done, total: p.total });
  const eta = p && p.type === 'phase' && (p.phase === 'test' || p.phase === 'train') && p.done > 0 && p.done < p.total ? Math.ceil(((Date.now() - p.started) / 1000 / p.done) * (p.total - p.done)) : null;

  return (
    <div className="eval-panel">
      <PanelIntro text={e} />
      <p className="help" data-testid="keeps-note" data-keeps="partly">{e.keepsNote}</p>
      {!loaded && (
        <p className="empty-state" data-testid="eval-empty">
          {modelStatus === 'loading' ? e.modelLoading : e.needModel} <a href="#/clip">{e.goClip}</a>
        </p>
      )}
      <section className="section" aria-label={e.archive}>
        <FileDropZone
          idPrefix="eval-"
          text={e.archive}
          help={
            s.file
              ? fmt(e.archiveChosen, { name: s.file.name, size: f.bytes(s.file.size) })
              : s.files
                ? fmt(e.folderChosen, { n: s.files.length })
                : e.archiveNone
          }
          chooseLabel={e.choose}
          folderLabel={e.chooseFolder}
          multiple
          accept=".gz,.tgz,.zip,application/gzip,application/zip,image/*"
          testIds={{ input: 'eval-file-input' }}
          onFiles={(files) => s.take(files)}
        />
        <div className="eval-controls">
          <label>
            <span>{e.dataset}</span>
            <select data-testid="eval-dataset" value={s.dataset} onChange={(ev) => s.set({ dataset: ev.target.value as DatasetKind })}>
              {DATASET_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k === 'folder' ? e.folder : DATASET_LABEL[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{e.split}</span>
            <select data-testid="eval-split" value={s.split} onChange={(ev) => s.set({ split: ev.target.value as Split })}>
              <option value="test">{e.test}</option>
              <option value="train">{e.train}</option>
            </select>
          </label>
          <label>
            <span>{e.images}</span>
            <select data-testid="eval-mode" value={s.mode} onChange={(ev) => s.set({ mode: ev.target.value as SelectMode })}>
              <option value="all">{e.all}</option>
              <option value="limit">{e.first}</option>
              <option value="sample">{e.perClass}</option>
            </select>
          </label>
          {s.mode !== 'all' && (
            <label>
              <span>{e.count}</span>
              <input data-testid="eval-count" type="number" min={1} value={s.count} onChange={(ev) => s.set({ count: Math.max(1, Math.floor(Number(ev.target.value) || 1)) })} />
            </label>
          )}
          <label>
            <span>{e.seed}</span>
            <input data-testid="eval-seed" type="number" min={0} value={s.seed} onChange={(ev) => s.set({ seed: Math.max(0, Math.floor(Number(ev.target.value) || 0)) })} />
          </label>
          <label>
            <span>{e.templates}</span>
            <select data-testid="eval-templates" value={s.templates} onChange={(ev) => s.set({ templates: ev.target.value as TemplateMode })}>
              <option value="ensemble">{e.tEnsemble}</option>
              <option value="single">{e.tSingle}</option>
              <option value="name">{e.tName}</option>
              <option value="user">{e.tUser}</option>
            </select>
          </label>
        </div>
        {s.templates === 'user' && <textarea data-testid="eval-user-templates" aria-label={e.tUser} rows={3} value={s.userTemplates} onChange={(ev) => s.set({ userTemplates: ev.target.value })} />}
        <label className="inline">
          <input data-testid="eval-probe" type="checkbox" checked={s.probe} onChange={(ev) => s.set({ probe: ev.target.checked })} /> {e.probe}
        </label>
        <div className="eval-actions">
          <button type="button" className="primary" data-testid="eval-run" disabled={!loaded || (!s.file && !s.files) || running} onClick={() => void s.run()}>
            {e.run}
          </button>
          {running && (
            <button type="button" data-testid="eval-cancel" onClick={() => s.cancel()}>
              {e.cancel}
            </button>
          )}
        </div>
        <p role="status" data-testid="eval-status" data-status={s.status}>
          {running && (
            <>
              {progressText}
              {eta !== null && ` · ${fmt(e.eta, { s: eta })}`}
            </>
          )}
        </p>
        {s.status === 'error' && s.error && (
          <p className="error" role="alert" data-testid="eval-error">
            {s.error}
          </p>
        )}
      </section>
      {s.notSaved && <p className="help">{e.notSaved}</p>}
      {s.result && <EvaluateResult result={s.result} />}
      {s.history.length > 0 && (
        <section className="section eval-result" aria-labelledby="eval-history-h">
          <h3 id="eval-history-h">{e.historyTitle}</h3>
          <p className="help">{e.historyHelp}</p>
          <table data-testid="eval-history">
            <thead>
              <tr>
                <th>{e.hModel}</th>
                <th>{e.hDtype}</th>
                <th>{e.dataset}</th>
                <th>{e.images}</th>
                <th>{e.templates}</th>
                <th>{e.top1}</th>
                <th>{e.top5}</th>
                <th>{e.probeTitle}</th>
              </tr>
            </thead>
            <tbody>
              {s.history.map((h) => (
                <tr key={h.date}>
                  <td>{h.model}</td>
                  <td>
                    {h.dtype} ({h.device})
                  </td>
                  <td>
                    {h.dataset} ({h.split})
                  </td>
                  <td>
                    {h.n} ({h.selection})
                  </td>
                  <td>{h.templates}</td>
                  <td>{f.pct(h.top1, 1)}</td>
                  <td>{f.pct(h.top5, 1)}</td>
                  <td>{h.probeTop1 === null ? '–' : f.pct(h.probeTop1, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="small" data-testid="eval-history-clear" onClick={() => useEvaluate.setState({ history: [] })}>
            {e.historyClear}
          </button>
        </section>
      )}
    </div>
  );
}
