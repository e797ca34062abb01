/**
 * Live segmentation: the panel's prompts on a camera, a video file or a screen capture, the overlay
 * (view, threshold, opacity of the panel) drawn over the live video. Same rule as the CLIP panel's
 * Live section: the newest frame wins, nothing is queued. Pause hands the frame to the panel as its
 * image (the ordinary path: decoded, segmented, exportable).
 */
import { useEffect, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useSegModel } from '../../stores/segment-model';
import { hexToRgb, useSegment } from '../../stores/segment';
import { segmentWorker } from '../../workers/segment-client';
import { LatencyMeter, LatestFrameScheduler, RateMeter } from '../../../src/live';
import { onEachVideoFrame, type VideoWithRvfc } from '../../../src/live/video-frames';
import { cameraErrorText, useCamera, type LiveSource } from '../clip/useCamera';
import '../clip/live.css';


export function LiveSegment() {
  const m = useMessages();
  const f = useFormat();
  const loaded = useSegModel((s) => (s.status === 'ready' ? s.loaded : null));
  const video = useRef<HTMLVideoElement | null>(null);
  const overlay = useRef<HTMLCanvasElement | null>(null);
  const cam = useCamera(video);
  const [kind, setKind] = useState<LiveSource['kind']>('camera');
  const [file, setFile] = useState<File | null>(null);
  const [paused, setPaused] = useState(false);
  const [stats, setStats] = useState({ cameraFps: 0, processedFps: 0, latencyMs: 0, dropped: 0, frame: 0 });
  const [error, setError] = useState<string | null>(null);
  const sched = useRef<LatestFrameScheduler<number> | null>(null);
  const count = useRef(0);

  // A source that (re)starts starts clean: the previous run's rates are not shown as its own, and pause
  // waits for one of its frames (the worker's last frame would be the previous run's).
  useEffect(() => {
    if (!cam.on) return;
    setStats({ cameraFps: 0, processedFps: 0, latencyMs: 0, dropped: 0, frame: 0 });
    const c = overlay.current;
    c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
  }, [cam.on]);

  useEffect(() => {
    const v = video.current as VideoWithRvfc | null;
    if (!cam.on || paused || !loaded || !v) return;
    const camRate = new RateMeter();
    const proc = new RateMeter();
    const lat = new LatencyMeter();
    let alive = true;
    const s = new LatestFrameScheduler<number>(
      async () => {
        const st = useSegment.getState();
        const prompts = st.prompts.filter((p) => p.visible);
        if (!prompts.length || v.readyState < 2 || !v.videoWidth) return;
        const t0 = performance.now();
        const bmp = await createImageBitmap(v);
        const req = { layers: prompts.map((p) => ({ prompt: p.text, color: hexToRgb(p.color) })), view: st.view, threshold: st.threshold, opacity: st.opacity };
        const r = await segmentWorker().segmentFrame(Comlink.transfer(bmp, [bmp]), prompts.map((p) => p.text), req);
        count.current++;
        const c = overlay.current;
        if (c) {
          c.width = r.width;
          c.height = r.height;
          const ctx = c.getContext('2d')!;
          ctx.clearRect(0, 0, r.width, r.height);
          ctx.drawImage(r.overlay, 0, 0);
          c.dataset.frame = String(count.current);
          c.dataset.view = req.view;
          c.dataset.threshold = String(req.threshold);
        }
        r.overlay.close();
        if (!alive) return;
        const now = performance.now();
        proc.tick(now);
        lat.add(now - t0);
        setError(null);
        setStats({ cameraFps: camRate.rate(now), processedFps: proc.rate(now), latencyMs: lat.mean, dropped: s.stats.dropped, frame: count.current });
      },
      () => undefined,
      (e) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    sched.current = s;
    let seq = 0;
    const stopFrames = onEachVideoFrame(v, () => {
      camRate.tick(performance.now());
      s.offer(seq++);
    });
    return () => {
      alive = false;
      s.stop();
      stopFrames();
    };
  }, [cam.on, paused, loaded]);

  const start = () => {
    setPaused(false);
    if (kind === 'file') {
      if (file) void cam.start({ kind: 'file', file });
    } else void cam.start(kind === 'screen' ? { kind: 'screen' } : { kind: 'camera' });
  };

  const pause = async () => {
    setPaused(true);
    const s = sched.current;
    s?.stop();
    while (s?.isBusy) await new Promise((r) => setTimeout(r, 10));
    const png = await segmentWorker().liveFramePng();
    if (!png) return;
    const name = `live-frame-${count.current}.png`;
    // The frame becomes the panel's image: decoded, segmented and exportable like a dropped file.
    await useSegment.getState().setImage(new File([png], name, { type: 'image/png' }));
  };

  const errText = cameraErrorText(m, cam);
  return (
    <section className="section live-section" aria-labelledby="seg-live-h" data-testid="seg-live">
      <h3 id="seg-live-h">{m.live.segTitle}</h3>
      <p className="help">{m.live.segIntro}</p>
      <div className="toolbar-row">
        <label className="inline">
          <span>{m.live.source}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as LiveSource['kind'])} disabled={cam.on} data-testid="seg-live-source">
            <option value="camera">{m.live.sourceCamera}</option>
            <option value="file">{m.live.sourceFile}</option>
            <option value="screen">{m.live.sourceScreen}</option>
          </select>
        </label>
        {kind === 'file' && (
          <label className="inline">
            <span>{m.live.videoFile}</span>
            <input type="file" accept="video/*" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="seg-live-file" />
          </label>
        )}
        {cam.on ? (
          <button type="button" onClick={cam.stop} data-testid="seg-live-stop">{m.live.stop}</button>
        ) : (
          <button type="button" onClick={start} disabled={kind === 'file' && !file} data-testid="seg-live-start">{m.live.start}</button>
        )}
        {cam.on && (
          <span className="camera-on" role="status" data-testid="seg-camera-on">
            <span aria-hidden="true">● </span>
            {kind === 'camera' ? m.live.cameraOn : m.live.sourceOn}
          </span>
        )}
        {cam.on && !paused && (
          <button type="button" onClick={() => void pause()} disabled={!stats.frame} data-testid="seg-live-pause">{m.live.pause}</button>
        )}
        {cam.on && paused && (
          <button type="button" onClick={() => setPaused(false)} data-testid="seg-live-resume">{m.live.resume}</button>
        )}
      </div>
      {errText && (
        <p className="error" role="alert" data-testid="seg-live-error" data-kind={cam.error} data-failure={cam.failure ?? undefined}>
          {errText}
          {cam.detail && <span className="muted small"> ({cam.detail})</span>}
        </p>
      )}
      {cam.pausedHidden && <p className="muted">{m.live.stoppedHidden}</p>}
      {!loaded && cam.on && <p className="muted">{m.live.needModel}</p>}
      {error && <p className="error" role="alert">{fmt(m.live.frameFailed, { message: error })}</p>}
      <div className="live-stage" hidden={!cam.on}>
        <video ref={video} muted playsInline data-testid="seg-live-video" />
        <canvas ref={overlay} className="live-overlay" data-testid="seg-live-overlay" aria-hidden="true" />
      </div>
      {cam.on && loaded && (
        <p className="muted small" data-testid="seg-live-stats" data-processed-fps={stats.processedFps} data-camera-fps={stats.cameraFps} data-frame={stats.frame} data-latency={stats.latencyMs} data-dropped={stats.dropped} data-backend={loaded.device} data-dtype={loaded.dtype}>
          {fmt(m.live.stats, { cam: f.num(stats.cameraFps, 1), proc: f.num(stats.processedFps, 1), ms: f.num(stats.latencyMs, 0), dropped: stats.dropped, backend: loaded.device, dtype: loaded.dtype })}
        </p>
      )}
    </section>
  );
}
