import { useEffect, useId } from 'react';
import { HUB_MODELS, useModel, type SourceKind } from '../../stores/model';
import { fmt, useFormat, useMessages } from '../../i18n';
import { ProgressBar } from '../../components/ProgressBar';
import { StorageView } from './StorageView';
import { defaultDtype } from '../../../src/runtime/backend';
import { useErrorText } from '../../i18n/errors';

/** Non-standard but universal attribute: the input picks a whole folder. */
export const DIRECTORY_PICKER = { webkitdirectory: '' } as object;

/** once per page: React's StrictMode runs effects twice in development */
let autoloaded = false;

export function ModelSection() {
  const m = useMessages();
  const errText = useErrorText();
  const f = useFormat();
  const s = useModel();
  const ids = { kind: useId(), hub: useId(), host: useId(), urlId: useId(), dtype: useId(), device: useId(), folder: useId() };
  const busy = s.status === 'loading';

  useEffect(() => {
    void s.runProbe();
    // Reload the last model (from the browser cache) when the previous visit had one.
    if (s.autoload && s.status === 'idle' && !autoloaded) {
      autoloaded = true;
      void s.load();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const autoDtype = s.probe ? defaultDtype(s.device === 'wasm' || !s.probe.gpu.webgpu ? 'wasm' : 'webgpu', s.probe.gpu.fp16) : 'q8';
  const p = s.progress;

  return (
    <section className="section" aria-labelledby="model-h">
      <h3 id="model-h">{m.model.heading}</h3>
      <div className="form-grid">
        <label htmlFor={ids.kind}>{m.model.source}</label>
        <select id={ids.kind} value={s.kind} disabled={busy} onChange={(e) => s.set({ kind: e.target.value as SourceKind })} data-testid="model-kind">
          <option value="hub">{m.model.sourceHub}</option>
          <option value="url">{m.model.sourceUrl}</option>
          <option value="folder">{m.model.sourceFolder}</option>
        </select>

        {s.kind === 'hub' && (
          <>
            <label htmlFor={ids.hub}>{m.model.hubId}</label>
            <div>
              <input id={ids.hub} list={`${ids.hub}-list`} value={s.hubId} disabled={busy} onChange={(e) => s.set({ hubId: e.target.value })} spellCheck={false} />
              <datalist id={`${ids.hub}-list`}>
                {HUB_MODELS.map((id) => (
                  <option key={id} value={id} />
                ))}
              </datalist>
            </div>
          </>
        )}

        {s.kind === 'url' && (
          <>
            <label htmlFor={ids.host}>{m.model.host}</label>
            <div>
              <input id={ids.host} type="url" value={s.host} placeholder="https://models.example.org/" disabled={busy} onChange={(e) => s.set({ host: e.target.value })} spellCheck={false} data-testid="model-host" aria-describedby={`${ids.host}-help`} />
              <p id={`${ids.host}-help`} className="help">{m.model.hostHelp}</p>
            </div>
            <label htmlFor={ids.urlId}>{m.model.hubId}</label>
            <input id={ids.urlId} value={s.urlId} placeholder="org/clip-vit-base-patch32" disabled={busy} onChange={(e) => s.set({ urlId: e.target.value })} spellCheck={false} data-testid="model-id" />
          </>
        )}

        {s.kind === 'folder' && (
          <>
            <label htmlFor={ids.folder}>{m.model.folderPick}</label>
            <div>
              <input
                id={ids.folder}
                type="file"
                disabled={busy}
                {...DIRECTORY_PICKER}
                onChange={(e) => {
                  const list = Array.from(e.target.files ?? []);
                  if (!list.length) return;
                  const root = list[0].webkitRelativePath.split('/')[0];
                  // Keys are paths inside the model folder: "config.json", "onnx/vision_model.onnx".
                  const files = new Map(list.map((file) => [file.webkitRelativePath.split('/').slice(1).join('/'), file]));
                  s.set({ folder: { name: root, files } });
                }}
              />
              <p className="help">{s.folder ? fmt(m.model.folderPicked, { n: s.folder.files.size, name: s.folder.name }) : m.model.folderNone}</p>
            </div>
          </>
        )}

        <label htmlFor={ids.device}>{m.model.device}</label>
        <select id={ids.device} value={s.device} disabled={busy} onChange={(e) => s.set({ device: e.target.value as typeof s.device })} data-testid="model-device">
          <option value="auto">{m.model.deviceAuto}</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM</option>
        </select>

        <label htmlFor={ids.dtype}>{m.model.dtype}</label>
        <select id={ids.dtype} value={s.dtype} disabled={busy} onChange={(e) => s.set({ dtype: e.target.value as typeof s.dtype })} data-testid="model-dtype">
          <option value="auto">{fmt(m.model.dtypeAuto, { dtype: autoDtype })}</option>
          <option value="fp32">fp32</option>
          <option value="fp16">fp16</option>
          <option value="q8">q8</option>
        </select>
      </div>

      <div className="actions">
        <button type="button" className="primary" onClick={() => void s.load()} disabled={busy} data-testid="load-model">
          {busy ? m.model.loading : m.model.load}
        </button>
        {busy && (
          <button type="button" onClick={() => s.cancel()} data-testid="cancel-load">
            {m.common.cancel}
          </button>
        )}
      </div>

      {busy && p && (
        <div className="load-progress" data-testid="load-progress">
          <ProgressBar
            value={p.total ? p.loaded / p.total : null}
            label={m.model.loading}
            text={fmt(m.model.progressOverall, { done: f.bytes(p.loaded), total: f.bytes(p.total) })}
          />
          <ul className="file-progress">
            {p.files.map((file) => (
              <li key={file.file}>
                <ProgressBar
                  value={file.done ? 1 : file.total ? file.loaded / file.total : null}
                  label={file.file}
                  text={fmt(m.model.progressFile, { file: file.file, done: f.bytes(file.loaded), total: file.total ? f.bytes(file.total) : '?' })}
                />
              </li>
            ))}
          </ul>
        </div>
      )}

      <div aria-live="polite" className="status-line">
        {s.status === 'ready' && s.loaded && (
          <p className="ok" data-testid="model-ready" data-device={s.loaded.device} data-dtype={s.loaded.dtype}>
            ✓ {fmt(m.model.ready, { model: s.loaded.label, device: s.loaded.device === 'webgpu' ? 'WebGPU' : `WASM (${fmt(m.model.threads, { n: s.loaded.threads })})`, dtype: s.loaded.dtype })}
          </p>
        )}
        {s.loaded?.fallbackReason && (
          <p className="warn" data-testid="model-fallback">
            {fmt(m.model.fallback, { reason: s.loaded.fallbackReason === 'no WebGPU adapter on this machine' ? m.model.noAdapter : s.loaded.fallbackReason })}
          </p>
        )}
        {s.status === 'error' && (
          <p className="error" role="alert" data-testid="model-error">
            {fmt(m.model.failed, { message: errText(s.error) })}
          </p>
        )}
        {s.status === 'cancelled' && <p className="muted">{m.model.cancelled}</p>}
        {s.status === 'idle' && <p className="muted">{m.model.notLoaded}</p>}
      </div>
      <StorageView />
    </section>
  );
}
