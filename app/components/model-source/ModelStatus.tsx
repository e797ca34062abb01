import { fmt, useMessages } from '../../i18n';
import { useErrorText } from '../../i18n/errors';
import type { ModelState } from '../../stores/model-store';

interface Props {
  s: ModelState;
  /** shown before anything was loaded */
  idleText: string;
  tid(name: string): string;
}

/** The load's outcome, announced politely: ready (device, precision), WebGPU fallback, error. */
export function ModelStatus({ s, idleText, tid }: Props) {
  const m = useMessages();
  const errText = useErrorText();
  const reason = s.loaded?.fallbackReason;
  return (
    <div aria-live="polite" className="status-line">
      {s.status === 'ready' && s.loaded && (
        <p className="ok" data-testid={tid('model-ready')} data-device={s.loaded.device} data-dtype={s.loaded.dtype}>
          ✓ {fmt(m.model.ready, { model: s.loaded.label, device: s.loaded.device === 'webgpu' ? 'WebGPU' : `WASM (${fmt(m.model.threads, { n: s.loaded.threads })})`, dtype: s.loaded.dtype })}
        </p>
      )}
      {reason && (
        <p className="warn" data-testid={tid('model-fallback')}>
          {/* the probe's one known reason is translated; others are the browser's own words */}
          {fmt(m.model.fallback, { reason: reason === 'no WebGPU adapter on this machine' ? m.model.noAdapter : reason })}
        </p>
      )}
      {s.status === 'error' && (
        <p className="error" role="alert" data-testid={tid('model-error')}>
          {fmt(m.model.failed, { message: errText(s.error) })}
        </p>
      )}
      {s.status === 'cancelled' && <p className="muted">{m.model.cancelled}</p>}
      {s.status === 'idle' && <p className="muted">{idleText}</p>}
    </div>
  );
}
