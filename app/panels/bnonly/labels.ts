/** Translated names of modes, backends and run states. */
import type { Messages } from '../../i18n';
import { fmt } from '../../i18n';
import type { ActualBackend, ExperimentStatus, LogLine } from '../../workers/bnonly-protocol';

type M = Messages['bnonly'];

export function backendName(m: M, b: ActualBackend): string {
  return { webgpu: m.backendWebgpu, webgl: m.backendWebgl, wasm: m.backendWasm, cpu: m.backendCpu }[b];
}

export function statusName(m: M, s: ExperimentStatus): string {
  return {
    queued: m.statusQueued,
    loading: m.statusLoading,
    running: m.statusRunning,
    paused: m.statusPaused,
    stopped: m.statusStopped,
    done: m.statusDone,
    error: m.statusError,
    interrupted: m.statusInterrupted,
  }[s];
}

/** A backend probe's reason code in words; a browser error message passes through as it is. */
export function missingReason(m: M, code: string): string {
  return ({ 'no-api': m.reasonNoApi, 'no-adapter': m.reasonNoAdapter, 'no-context': m.reasonNoContext } as Record<string, string>)[code] ?? code;
}

export function logText(m: M, l: LogLine): string {
  return fmt({ backend: m.logBackend, data: m.logData, build: m.logBuild, download: m.logDownload }[l.key], l.vars);
}
