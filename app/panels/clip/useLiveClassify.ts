/**
 * The live zero-shot loop: each new video frame (requestVideoFrameCallback) counts toward the camera
 * fps and is offered to the newest-frame-wins scheduler (src/live), which grabs the video's current
 * frame with createImageBitmap only when the worker is free and sends it to the CLIP worker
 * (classifyFrame: preprocessed as a still image is). Nothing is queued; probabilities are smoothed
 * by an EMA over a chosen number of frames, and the raw frame's result is kept beside them.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import * as Comlink from 'comlink';
import { clipWorker } from '../../workers/clip-client';
import { Ema, LatencyMeter, LatestFrameScheduler, RateMeter, SessionRecorder, topK } from '../../../src/live';
import { onEachVideoFrame, type VideoWithRvfc } from '../../../src/live/video-frames';
import type { FrameResult } from '../../../src/runtime/clip-protocol';

export interface LiveFrame {
  /** frame number since the loop started */
  n: number;
  raw: FrameResult;
  smoothed: number[];
  classes: string[];
}

export interface LiveStats {
  cameraFps: number;
  processedFps: number;
  latencyMs: number;
  dropped: number;
  processed: number;
}


export function useLiveClassify(video: RefObject<HTMLVideoElement | null>, opts: { on: boolean; classes: string[]; templates: string[]; smoothing: number }) {
  const [frame, setFrame] = useState<LiveFrame | null>(null);
  const [stats, setStats] = useState<LiveStats>({ cameraFps: 0, processedFps: 0, latencyMs: 0, dropped: 0, processed: 0 });
  const [error, setError] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [recording, setRecording] = useState(false);
  const recorder = useRef<SessionRecorder | null>(null);
  const recOn = useRef(false);
  const ema = useRef(new Ema(opts.smoothing));
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const sched = useRef<LatestFrameScheduler<number> | null>(null);
  const last = useRef<LiveFrame | null>(null);
  /** frame numbers keep counting across pauses, so each paused frame has its own file name */
  const count = useRef(0);

  useEffect(() => {
    ema.current.setWindow(opts.smoothing);
  }, [opts.smoothing]);
  // a new class list or template restarts the average (its vectors mean other classes)
  useEffect(() => ema.current.reset(), [opts.classes.join('\n'), opts.templates.join('\n')]);
  // A source that (re)starts starts clean: no result, rate or average of the previous run is shown as its
  // own, and pause cannot hand back the previous run's last frame.
  useEffect(() => {
    if (!opts.on) return;
    last.current = null;
    ema.current.reset();
    setFrame(null);
    setStats({ cameraFps: 0, processedFps: 0, latencyMs: 0, dropped: 0, processed: 0 });
  }, [opts.on]);

  useEffect(() => {
    const v = video.current as VideoWithRvfc | null;
    if (!opts.on || paused || !v) return;
    const cam = new RateMeter();
    const proc = new RateMeter();
    const lat = new LatencyMeter();
    let alive = true;
    const s = new LatestFrameScheduler<number>(
      async () => {
        const t0 = performance.now();
        const { classes, templates } = optsRef.current;
        if (classes.length === 0 || v.readyState < 2 || !v.videoWidth) return;
        const bmp = await createImageBitmap(v);
        const raw = await clipWorker().classifyFrame(Comlink.transfer(bmp, [bmp]), classes, templates);
        // Kept even when the loop was just stopped: it is the worker's last frame, which pause shows.
        const f: LiveFrame = { n: ++count.current, raw, smoothed: ema.current.update(raw.probs), classes };
        last.current = f;
        if (!alive) return;
        const now = performance.now();
        proc.tick(now);
        lat.add(now - t0);
        if (recOn.current) recorder.current?.add(now, f.n, now - t0, topK(classes, raw.probs, raw.logits));
        setFrame(f);
        setError(null);
        setStats({ cameraFps: cam.rate(now), processedFps: proc.rate(now), latencyMs: lat.mean, dropped: s.stats.dropped, processed: s.stats.processed + 1 });
      },
      () => undefined,
      (e) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    sched.current = s;
    let seq = 0;
    const stopFrames = onEachVideoFrame(v, () => {
      cam.tick(performance.now());
      s.offer(seq++);
    });
    return () => {
      alive = false;
      s.stop();
      stopFrames();
    };
  }, [opts.on, paused, video]);

  /** Stops processing; resolves once the frame in flight is done, with it and its PNG. */
  const pause = useCallback(async (): Promise<{ frame: LiveFrame; png: Blob } | null> => {
    setPaused(true);
    const s = sched.current;
    s?.stop();
    while (s?.isBusy) await new Promise((r) => setTimeout(r, 10));
    const f = last.current;
    const png = await clipWorker().lastFramePng();
    return f && png ? { frame: f, png } : null;
  }, []);

  const resume = useCallback(() => setPaused(false), []);

  const toggleRecording = useCallback(() => {
    if (recOn.current) {
      recOn.current = false;
      setRecording(false);
      return;
    }
    recorder.current = new SessionRecorder(performance.now());
    recOn.current = true;
    setRecording(true);
  }, [recording]);

  return { frame, stats, error, paused, pause, resume, recording, toggleRecording, recorder };
}
