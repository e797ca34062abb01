import { useEffect, useId, type ReactNode } from 'react';
import { fmt, useMessages } from '../../i18n';
import { defaultDtype } from '../../../src/runtime/backend';
import type { ModelState } from '../../stores/model-store';
import { SourceFields } from './SourceFields';
import { LoadProgress } from './LoadProgress';
import { ModelStatus } from './ModelStatus';

interface Props {
  /** the model's store (app/stores/model-store.ts) */
  useStore: () => ModelState;
  hubModels: readonly string[];
  defaultId: string;
  /** prefixes the heading id and every test id, so two sections can share a page's test suite ('' or 'seg-') */
  idPrefix: string;
  /** status line before anything was loaded */
  idleText: string;
  /** below the status line */
  children?: ReactNode;
}

/** A model's section: source, device, precision, load/cancel, download progress, outcome. */
export function ModelSourceSection({ useStore, hubModels, defaultId, idPrefix, idleText, children }: Props) {
  const m = useMessages();
  const s = useStore();
  const ids = { dtype: useId(), device: useId() };
  const tid = (name: string) => idPrefix + name;
  const busy = s.status === 'loading';

  useEffect(() => {
    void s.runProbe();
    // Reload the last model (from the browser cache) when the previous visit had one.
    s.autoloadOnce();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const autoDtype = s.probe ? defaultDtype(s.device === 'wasm' || !s.probe.gpu.webgpu ? 'wasm' : 'webgpu', s.probe.gpu.fp16) : 'q8';

  return (
    <section className="section" aria-labelledby={tid('model-h')}>
      <h3 id={tid('model-h')}>{m.model.heading}</h3>
      <div className="form-grid">
        <SourceFields s={s} busy={busy} hubModels={hubModels} defaultId={defaultId} tid={tid} />

        <label htmlFor={ids.device}>{m.model.device}</label>
        <select id={ids.device} value={s.device} disabled={busy} onChange={(e) => s.set({ device: e.target.value as typeof s.device })} data-testid={tid('model-device')}>
          <option value="auto">{m.model.deviceAuto}</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM</option>
        </select>

        <label htmlFor={ids.dtype}>{m.model.dtype}</label>
        <select id={ids.dtype} value={s.dtype} disabled={busy} onChange={(e) => s.set({ dtype: e.target.value as typeof s.dtype })} data-testid={tid('model-dtype')}>
          <option value="auto">{fmt(m.model.dtypeAuto, { dtype: autoDtype })}</option>
          <option value="fp32">fp32</option>
          <option value="fp16">fp16</option>
          <option value="q8">q8</option>
        </select>
      </div>

      <div className="actions">
        <button type="button" className="primary" onClick={() => void s.load()} disabled={busy} data-testid={tid('load-model')}>
          {busy ? m.model.loading : m.model.load}
        </button>
        {busy && (
          <button type="button" onClick={() => s.cancel()} data-testid={tid('cancel-load')}>
            {m.common.cancel}
          </button>
        )}
      </div>

      {busy && s.progress && <LoadProgress p={s.progress} testId={tid('load-progress')} />}
      <ModelStatus s={s} idleText={idleText} tid={tid} />
      {children}
    </section>
  );
}
