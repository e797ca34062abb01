/**
 * The CLIP panel's Live section: zero-shot classification of a camera, a video file or a screen
 * capture with the panel's classes, template and ensemble. Frames never queue (newest wins); the
 * section shows camera fps against processed fps, latency, backend and dtype; pause turns the frame
 * into an ordinary image of the panel; sessions record to JSONL/CSV. Nothing leaves the tab.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useModel } from '../../stores/model';
import { currentClasses, useClassify } from '../../stores/classify';
import { useImages } from '../../stores/images';
import { alertIndex, topK } from '../../../src/live';
import { cameraErrorText, useCamera, type LiveSource } from './useCamera';
import { useLiveClassify, type LiveFrame } from './useLiveClassify';
import './live.css';

const RESOLUTIONS = [
  [640, 480],
  [1280, 720],
  [1920, 1080],
] as const;

function download(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function LiveSection() {
  const m = useMessages();
  const f = useFormat();
  const loaded = useModel((s) => (s.status === 'ready' ? s.loaded : null));
  const classesText = useClassify((s) => s.classesText);
  const preset = useClassify((s) => s.preset);
  const template = useClassify((s) => s.template);
  const presetTemplates = useClassify((s) => s.presetTemplates);
  const { classes, errors } = useMemo(() => currentClasses(classesText, preset !== 'custom'), [classesText, preset]);
  const templates = useMemo(() => (presetTemplates.length ? presetTemplates : [template]), [presetTemplates, template]);

  const video = useRef<HTMLVideoElement | null>(null);
  const cam = useCamera(video);
  const [kind, setKind] = useState<LiveSource['kind']>('camera');
  const [deviceId, setDeviceId] = useState('');
  const [res, setRes] = useState(0);
  const [facing, setFacing] = useState<'user' | 'environment'>('user');
  const [file, setFile] = useState<File | null>(null);
  const [smoothing, setSmoothing] = useState(5);
  const [alertClass, setAlertClass] = useState('');
  const [alertAt, setAlertAt] = useState(0.8);
  const [pausedView, setPausedView] = useState<{ url: string; frame: LiveFrame; name: string } | null>(null);

  const usable = errors.length === 0 && classes.length > 0;
  const live = useLiveClassify(video, { on: cam.on && !!loaded && usable, classes, templates, smoothing });
  useEffect(() => () => { if (pausedView) URL.revokeObjectURL(pausedView.url); }, [pausedView]);

  const start = () => {
    setPausedView(null);
    live.resume();
    if (kind === 'file') {
      if (file) void cam.start({ kind: 'file', file });
    } else if (kind === 'screen') void cam.start({ kind: 'screen' });
    else void cam.start({ kind: 'camera', deviceId: deviceId || undefined, width: RESOLUTIONS[res][0], height: RESOLUTIONS[res][1], facing });
  };

  const pause = async () => {
    const r = await live.pause();
    // no frame was processed yet: nothing to show, so the loop goes on
    if (!r) return live.resume();
    const name = `live-frame-${r.frame.n}.png`;
    setPausedView({ url: URL.createObjectURL(r.png), frame: r.frame, name });
    // The frame becomes an ordinary image of the panel, classified like a dropped file.
    useImages.getState().add([{ file: new File([r.png], name, { type: 'image/png' }), path: name }]);
    void useClassify.getState().classify();
  };

  const snapshot = async () => {
    const r = await live.pause();
    if (r) download(`live-frame-${r.frame.n}.png`, r.png, 'image/png');
    live.resume();
  };

  const fr = live.frame;
  const shown = pausedView?.frame ?? fr;
  const probs = pausedView ? pausedView.frame.raw.probs : fr?.smoothed;
  const alertAtIdx = shown && probs && alertClass ? alertIndex(shown.classes, probs, alertClass, alertAt) : -1;
  const errText = cameraErrorText(m, cam);

  return (
    <section className="section live-section" aria-labelledby="live-h" data-testid="live-section">
      <h3 id="live-h">{m.live.title}</h3>
      <p className="help">{m.live.intro}</p>
      <div className="toolbar-row">
        <label className="inline">
          <span>{m.live.source}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as LiveSource['kind'])} data-testid="live-source" disabled={cam.on}>
            <option value="camera">{m.live.sourceCamera}</option>
            <option value="file">{m.live.sourceFile}</option>
            <option value="screen">{m.live.sourceScreen}</option>
          </select>
        </label>
        {kind === 'camera' && (
          <>
            {cam.devices.length > 1 && (
              <label className="inline">
                <span>{m.live.device}</span>
                <select value={deviceId} onChange={(e) => setDeviceId(e.target.value)} data-testid="live-device">
                  <option value="">{m.live.deviceDefault}</option>
                  {cam.devices.map((d, i) => (
                    <option key={d.deviceId || i} value={d.deviceId}>
                      {d.label || fmt(m.live.deviceN, { n: i + 1 })}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="inline">
              <span>{m.live.resolution}</span>
              <select value={res} onChange={(e) => setRes(Number(e.target.value))}>
                {RESOLUTIONS.map(([w, h], i) => (
                  <option key={i} value={i}>{`${w}×${h}`}</option>
                ))}
              </select>
            </label>
            <label className="inline">
              <span>{m.live.facing}</span>
              <select value={facing} onChange={(e) => setFacing(e.target.value as 'user' | 'environment')}>
                <option value="user">{m.live.facingFront}</option>
                <option value="environment">{m.live.facingBack}</option>
              </select>
            </label>
          </>
        )}
        {kind === 'file' && (
          <label className="inline">
            <span>{m.live.videoFile}</span>
            <input type="file" accept="video/*" data-testid="live-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
        )}
        {cam.on ? (
          <button type="button" onClick={() => { cam.stop(); setPausedView(null); }} data-testid="live-stop">{m.live.stop}</button>
        ) : (
          <button type="button" onClick={start} disabled={kind === 'file' && !file} data-testid="live-start">{m.live.start}</button>
        )}
        {cam.on && (
          <span className="camera-on" role="status" data-testid="camera-on">
            <span aria-hidden="true">● </span>
            {kind === 'camera' ? m.live.cameraOn : m.live.sourceOn}
          </span>
        )}
      </div>
      {errText && (
        <p className="error" role="alert" data-testid="live-error" data-kind={cam.error} data-failure={cam.failure ?? undefined}>
          {errText}
          {cam.detail && <span className="muted small"> ({cam.detail})</span>}
        </p>
      )}
      {cam.pausedHidden && <p className="muted" data-testid="live-hidden">{m.live.stoppedHidden}</p>}
      {!loaded && cam.on && <p className="muted">{m.live.needModel}</p>}
      {!usable && cam.on && <p className="error">{m.live.needClasses}</p>}
      {live.error && <p className="error" role="alert" data-testid="live-frame-error">{fmt(m.live.frameFailed, { message: live.error })}</p>}
      <div className="live-stage" hidden={!cam.on && !pausedView}>
        <video ref={video} muted playsInline data-testid="live-video" hidden={!!pausedView} />
        {pausedView && <img src={pausedView.url} alt={fmt(m.live.pausedAlt, { name: pausedView.name })} data-testid="live-paused-image" />}
      </div>
      {cam.on && loaded && (
        <p className="muted small" data-testid="live-stats" data-camera-fps={live.stats.cameraFps} data-processed-fps={live.stats.processedFps} data-latency={live.stats.latencyMs} data-dropped={live.stats.dropped} data-backend={loaded.device} data-dtype={loaded.dtype}>
          {fmt(m.live.stats, {
            cam: f.num(live.stats.cameraFps, 1),
            proc: f.num(live.stats.processedFps, 1),
            ms: f.num(live.stats.latencyMs, 0),
            dropped: live.stats.dropped,
            backend: loaded.device,
            dtype: loaded.dtype,
          })}
        </p>
      )}
      {shown && probs && (
        <div className={alertAtIdx >= 0 ? 'live-results live-alert-on' : 'live-results'}>
          <p className="muted small">{pausedView ? fmt(m.live.pausedOn, { name: pausedView.name }) : fmt(m.live.smoothedOver, { n: smoothing })}</p>
          <ol className="bars" data-testid={pausedView ? 'live-paused-top' : 'live-top'} data-frame={shown.n}>
            {topK(shown.classes, probs, shown.raw.logits).map((t) => (
              <li key={t.label} data-class={t.label} data-logit={t.logit} data-prob={t.prob}>
                <span className="bar" style={{ width: `${Math.max(1, t.prob * 100)}%` }} />
                <span className="bar-label">
                  <span className="cls" dir="auto">{t.label}</span>
                  <span className="val">
                    {f.pct(t.prob, 1)} <span className="muted">({f.num(t.logit, 2)})</span>
                  </span>
                </span>
              </li>
            ))}
          </ol>
          {alertAtIdx >= 0 && (
            <p className="live-alert" role="status" data-testid="live-alert">
              {fmt(m.live.alertFired, { label: alertClass, p: f.pct(probs[alertAtIdx], 0) })}
            </p>
          )}
        </div>
      )}
      {cam.on && (
        <div className="toolbar-row">
          <label className="inline">
            <span>{m.live.smoothing}</span>
            <input type="number" min={1} max={100} value={smoothing} onChange={(e) => setSmoothing(Math.max(1, Math.min(100, Math.round(Number(e.target.value)) || 1)))} data-testid="live-smoothing" />
          </label>
          <label className="inline">
            <span>{m.live.alertWhen}</span>
            <select value={alertClass} onChange={(e) => setAlertClass(e.target.value)} data-testid="live-alert-class">
              <option value="">{m.live.alertNone}</option>
              {classes.map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
            </select>
          </label>
          <label className="inline">
            <span>{m.live.alertAbove}</span>
            <input type="number" min={0} max={1} step={0.05} value={alertAt} onChange={(e) => setAlertAt(Math.max(0, Math.min(1, Number(e.target.value) || 0)))} data-testid="live-alert-p" />
          </label>
          {pausedView ? (
            <button type="button" onClick={() => { setPausedView(null); live.resume(); }} data-testid="live-resume">{m.live.resume}</button>
          ) : (
            <button type="button" onClick={() => void pause()} disabled={!fr} data-testid="live-pause">{m.live.pause}</button>
          )}
          <button type="button" className="ghost" onClick={() => void snapshot()} disabled={!fr || !!pausedView} data-testid="live-snapshot">{m.live.snapshot}</button>
          <button type="button" className="ghost" onClick={live.toggleRecording} aria-pressed={live.recording} data-testid="live-record">
            {live.recording ? m.live.recordStop : m.live.record}
          </button>
          {live.recorder.current && live.recorder.current.rows.length > 0 && !live.recording && (
            <>
              <button type="button" className="ghost" onClick={() => download('live-session.jsonl', live.recorder.current!.toJsonl(), 'application/x-ndjson')} data-testid="live-export-jsonl">JSONL</button>
              <button type="button" className="ghost" onClick={() => download('live-session.csv', live.recorder.current!.toCsv(), 'text/csv')} data-testid="live-export-csv">CSV</button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
