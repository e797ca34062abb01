import { fmt, useMessages } from '../../i18n';
import { useErrorText } from '../../i18n/errors';
import type { ModelState } from '../../stores/model-store';
import { HubUnreachable } from './HubUnreachable';
import { isHubUnreachable } from './hub-unreachable';

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
  const check = s.loaded?.gpuCheck;
  return (
    <div aria-live="polite" className="status-line">
      {s.status === 'ready' && s.loaded && (
        <p className="ok" data-testid={tid('model-ready')} data-device={s.loaded.device} data-dtype={s.loaded.dtype}>
          ✓ {fmt(m.model.ready, { model: s.loaded.label, device: s.loaded.device === 'webgpu' ? 'WebGPU' : `WASM (${fmt(m.model.threads, { n: s.loaded.threads })})`, dtype: s.loaded.dtype })}
        </p>
      )}
      {reason && check && !check.ok ? (
        <p className="warn" data-testid={tid('model-fallback')} data-gpu-check="failed">
          {fmt(m.model.gpuCheckFailed, { reason: check.reason ?? '' })}
        </p>
      ) : reason ? (
        <p className="warn" data-testid={tid('model-fallback')}>
          {/* the probe's one known reason is translated; others are the browser's own words */}
          {fmt(m.model.fallback, { reason: reason === 'no WebGPU adapter on this machine' ? m.model.noAdapter : reason })}
        </p>
      ) : null}
      {s.status === 'ready' && check && (
        <div data-testid={tid('gpu-check')} data-ok={String(check.ok)} data-fresh={String(check.fresh)}>
          {check.ok && <p className="help">{m.model.gpuCheckOk}</p>}
          <p className="help">{m.model.gpuCheckHelp}</p>
          <button type="button" className="small" data-testid={tid('gpu-recheck')} onClick={() => void s.load({ recheckGpu: true })}>
            {m.model.gpuCheckAgain}
          </button>
        </div>
      )}
      {s.status === 'error' && (
        <p className="error" role="alert" data-testid={tid('model-error')}>
          {fmt(m.model.failed, { message: errText(s.error) })}
        </p>
      )}
      {s.status === 'error' && isHubUnreachable(s.kind, s.error) && <HubUnreachable s={s} tid={tid} />}
      {s.status === 'cancelled' && <p className="muted">{m.model.cancelled}</p>}
      {s.status === 'idle' && <p className="muted">{idleText}</p>}
    </div>
  );
}
