import { useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import type { Mode } from '../../../src/bnonly/modes';
import { ProgressBar } from '../../components/ProgressBar';
import { useBnonly } from '../../stores/bnonly';
import type { ExperimentRecord } from '../../workers/bnonly-protocol';
import { canResume } from './run-actions';
import { backendName, logText, statusName } from './labels';

/** Open a run's test or training images in the hardness panel, seen through one mode's network. */
function HardnessLinks({ r }: { r: ExperimentRecord }) {
  const m = useMessages().bnonly;
  const { hardness, openHardness } = useBnonly();
  const [mode, setMode] = useState<Mode>(r.config.modes[0]);
  const mine = hardness?.id === r.id ? hardness : null;
  const busy = mine?.status === 'loading';
  return (
    <div className="bn-hardness" data-testid="bn-hardness">
      <span className="small">{m.hardnessOf}</span>{' '}
      {r.config.modes.length > 1 && (
        <select className="bn-hardness-mode" aria-label={m.hardnessNetwork} value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="bn-hardness-mode">
          {r.config.modes.map((mo) => (
            <option key={mo} value={mo}>
              {m.modeNames[mo]}
            </option>
          ))}
        </select>
      )}{' '}
      <button type="button" className="ghost small" disabled={busy} data-testid="bn-hardness-test" onClick={() => void openHardness(r.id, mode, 'test')}>
        {m.hardnessTest}
      </button>{' '}
      <button type="button" className="ghost small" disabled={busy} data-testid="bn-hardness-train" onClick={() => void openHardness(r.id, mode, 'train')}>
        {m.hardnessTrain}
      </button>
      {busy && (
        <span className="small muted" role="status">
          {' '}
          {m.hardnessLoading}
        </span>
      )}
      {mine?.status === 'error' && (
        <p className="error" role="alert">
          {fmt(m.hardnessFailed, { message: mine.error ?? '' })}
        </p>
      )}
    </div>
  );
}

function RunRow({ r }: { r: ExperimentRecord }) {
  const m = useMessages().bnonly;
  const f = useFormat();
  const { selectedId, activeId, select, pause, resume, stop, stopInterrupted, remove, log } = useBnonly();
  const mine = activeId === r.id;
  const resumable = canResume(r, activeId);
  const label = fmt(m.runLabel, {
    depth: r.config.depth,
    width: r.config.width,
    dataset: r.config.dataset === 'cifar10' ? 'CIFAR-10' : 'Fashion-MNIST',
    date: new Date(r.createdAt).toLocaleString(f.locale, { dateStyle: 'short', timeStyle: 'short' }),
  });
  const running = mine && (r.status === 'running' || r.status === 'loading' || r.status === 'queued');
  return (
    <li className={`bn-run${selectedId === r.id ? ' selected' : ''}`} data-testid="bn-run" data-id={r.id} data-status={r.status} data-step={r.step} data-checkpoint={r.checkpointStep ?? ''} data-resumed-from={r.resumedFrom ?? ''}>
      <div className="bn-run-main">
        <strong>{label}</strong>
        <span className="small muted">
          {r.config.modes.join(' · ')}
          {r.config.order === 'curriculum' && <span data-testid="bn-run-curriculum"> · {m.orderCurriculumTag}</span>} — {statusName(m, r.status)}
          {r.backend && ` ${fmt(m.onBackend, { b: backendName(m, r.backend) })}`}
          {r.backend === 'wasm' && r.threads !== undefined && <span data-testid="bn-run-threads" data-threads={r.threads}> {fmt(m.onThreads, { n: r.threads })}</span>}
          {r.imgPerSec !== null && running && ` — ${fmt(m.speed, { n: f.num(r.imgPerSec, 1) })}`}
        </span>
        <ProgressBar
          value={r.status === 'loading' ? null : r.step / r.config.steps}
          label={label}
          text={r.status === 'loading' && log[r.id] ? logText(m, log[r.id]) : fmt(m.stepOf, { a: f.num(r.step), b: f.num(r.config.steps) })}
        />
        {r.gpuCheck && !r.gpuCheck.ok && (
          <p className="help warn" role="status" data-testid="bn-gpu-check-failed">
            {fmt(m.gpuCheckFailed, { reason: r.gpuCheck.reason ?? '' })}
          </p>
        )}
        {r.backendNote && <p className="help warn">{r.backendNote}</p>}
        {r.error && (
          <p className="error" role="alert">
            {fmt(m.runFailed, { message: r.error })}
          </p>
        )}
        {r.status === 'interrupted' && !mine && (
          <p className="help warn" role="status" data-testid="bn-interrupted" data-checkpoint={r.checkpointStep ?? 0}>
            {fmt(m.interruptedNote, { step: f.num(r.step), checkpoint: f.num(r.checkpointStep ?? 0) })}
          </p>
        )}
        {r.datasetInfo && !running && r.status !== 'loading' && <HardnessLinks r={r} />}
      </div>
      <div className="bn-run-actions">
        <button type="button" className="ghost small" aria-pressed={selectedId === r.id} data-testid="bn-show" onClick={() => select(r.id)}>
          {selectedId === r.id ? m.showing : m.show}
        </button>
        {/* Pause and Resume share one slot (one DOM button), so keyboard focus stays on it when it flips. */}
        {running ? (
          <button key="pause-resume" type="button" className="small" data-testid="bn-pause" onClick={() => pause(r.id)}>
            {m.pause}
          </button>
        ) : resumable ? (
          <button key="pause-resume" type="button" className="small" data-testid="bn-resume" onClick={() => void resume(r.id)}>
            {m.resume}
          </button>
        ) : null}
        {mine && (
          <button
            type="button"
            className="small"
            data-testid="bn-stop"
            onClick={(e) => {
              stop(r.id);
              // Stop leaves with the run: keyboard focus goes to the row's first button, not the page top.
              e.currentTarget.closest('.bn-run-actions')?.querySelector<HTMLButtonElement>('[data-testid="bn-show"]')?.focus();
            }}
          >
            {m.stop}
          </button>
        )}
        {r.status === 'interrupted' && !mine && (
          <button type="button" className="small" data-testid="bn-stop-interrupted" onClick={() => void stopInterrupted(r.id)}>
            {m.stop}
          </button>
        )}
        {!mine && (
          <button type="button" className="ghost small" data-testid="bn-remove" onClick={() => void remove(r.id)}>
            {m.remove}
          </button>
        )}
      </div>
    </li>
  );
}

export function RunList() {
  const m = useMessages().bnonly;
  const { experiments, error } = useBnonly();
  return (
    <section className="section" aria-labelledby="bn-runs">
      <h3 id="bn-runs">{m.runsHeading}</h3>
      {error && (
        <p className="error" role="alert">
          {fmt(m.runFailed, { message: error })}
        </p>
      )}
      {experiments.length === 0 ? (
        <p className="empty-state">{m.noRuns}</p>
      ) : (
        <>
          <p className="help">{m.runsCaption}</p>
          <ul className="bn-runs" data-testid="bn-runs">
            {experiments.map((r) => (
              <RunRow key={r.id} r={r} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
