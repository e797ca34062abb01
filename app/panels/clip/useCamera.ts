/**
 * A live video source for the Live sections: a camera (device, resolution, facing), a video file the
 * user dropped (played from a blob: URL, nothing uploaded) or a screen/tab capture. It stops the
 * tracks when the component unmounts (the panel is left) or, for a camera, when the tab goes to the
 * background, and turns each failure into one kind (src/live/camera-errors.ts) the page words
 * clearly (a video file's message names the file and why it cannot play).
 *
 * Every start, stop and failure begins a new "generation": an answer that arrives for an older one
 * (a permission prompt answered after Stop, after the panel was left or the tab hidden; a play()
 * rejected because a failure already reset the element) is dropped, and a stream it brings is
 * stopped at once, so no camera stays on behind the page's back.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { fmt, type Messages } from '../../i18n';
import { cameraErrorKind, videoFailure, type CameraErrorKind, type VideoFailure } from '../../../src/live/camera-errors';

export type LiveSource =
  | { kind: 'camera'; deviceId?: string; width?: number; height?: number; facing?: 'user' | 'environment' }
  | { kind: 'file'; file: File }
  | { kind: 'screen' };

export interface CameraApi {
  /** the source is playing */
  on: boolean;
  kind: LiveSource['kind'] | null;
  error: CameraErrorKind | null;
  /** the browser's own words, shown under ours */
  detail: string;
  /** the video file's name, when the source is a file */
  fileName: string | null;
  /** why the video file cannot be played, when error is 'unplayable' */
  failure: VideoFailure | null;
  /** video inputs, with labels once permission was given */
  devices: MediaDeviceInfo[];
  /** the tab went to the background and the camera was stopped */
  pausedHidden: boolean;
  start(src: LiveSource): Promise<void>;
  stop(): void;
}

/** The message for the source's failure, or null: one per kind; a video file's names the file and the reason. */
export function cameraErrorText(m: Messages, cam: Pick<CameraApi, 'error' | 'kind' | 'fileName' | 'failure'>): string | null {
  if (!cam.error) return null;
  if (cam.error === 'unplayable' && cam.fileName) return fmt(m.live.unplayableFile, { file: cam.fileName, reason: m.live.videoFailures[cam.failure ?? 'unknown'] });
  if (cam.error === 'ended' && cam.kind === 'screen') return m.live.screenEnded;
  return m.live.errors[cam.error];
}

const words = (e: unknown) => (e instanceof Error || e instanceof DOMException ? `${e.name}: ${e.message}` : e ? String(e) : '');

export function useCamera(video: RefObject<HTMLVideoElement | null>): CameraApi {
  const [on, setOn] = useState(false);
  const [kind, setKind] = useState<LiveSource['kind'] | null>(null);
  const [error, setError] = useState<CameraErrorKind | null>(null);
  const [detail, setDetail] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [failure, setFailure] = useState<VideoFailure | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [pausedHidden, setPausedHidden] = useState(false);
  const stream = useRef<MediaStream | null>(null);
  const url = useRef<string | null>(null);
  /** bumped by every release: answers for an older generation are dropped */
  const generation = useRef(0);
  /** the camera is on or being started (a permission prompt may be open) */
  const cameraActive = useRef(false);

  const release = useCallback(() => {
    generation.current++;
    cameraActive.current = false;
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
    const v = video.current;
    if (v) {
      v.pause();
      v.srcObject = null;
      v.removeAttribute('src');
      v.load();
    }
    if (url.current) URL.revokeObjectURL(url.current);
    url.current = null;
  }, [video]);

  const stop = useCallback(() => {
    release();
    setOn(false);
  }, [release]);

  const fail = useCallback(
    (k: CameraErrorKind, e?: unknown, why: VideoFailure | null = null) => {
      release();
      setOn(false);
      setError(k);
      setFailure(why);
      setDetail(words(e));
    },
    [release],
  );

  const start = useCallback(
    async (src: LiveSource) => {
      release();
      const gen = generation.current;
      const stale = () => gen !== generation.current;
      setError(null);
      setDetail('');
      setFailure(null);
      setPausedHidden(false);
      setKind(src.kind);
      setFileName(src.kind === 'file' ? src.file.name : null);
      const v = video.current;
      if (!v) return;
      try {
        if (src.kind === 'file') {
          url.current = URL.createObjectURL(src.file);
          v.loop = true;
          v.muted = true;
          v.src = url.current;
          try {
            await v.play();
          } catch (e) {
            // The element's error listener (below) usually got there first, with the MediaError.
            if (!stale()) fail('unplayable', v.error?.message || e, videoFailure(v.error));
            return;
          }
          if (stale()) return;
          // It plays, but shows nothing (a sound file named .mp4): no frame would ever be classified.
          if (!v.videoWidth) return fail('unplayable', '', 'noVideo');
        } else {
          const md = navigator.mediaDevices;
          if (!md) throw new TypeError('navigator.mediaDevices is missing (the page is not a secure context)');
          cameraActive.current = src.kind === 'camera';
          const s =
            src.kind === 'screen'
              ? await md.getDisplayMedia({ video: true, audio: false })
              : await md.getUserMedia({
                  audio: false,
                  video: {
                    ...(src.deviceId ? { deviceId: { exact: src.deviceId } } : {}),
                    ...(src.width ? { width: { ideal: src.width }, height: { ideal: src.height } } : {}),
                    ...(src.facing && !src.deviceId ? { facingMode: src.facing } : {}),
                  },
                });
          if (stale()) {
            // Stopped, left or hidden while the prompt was open: the camera must not stay on.
            s.getTracks().forEach((t) => t.stop());
            return;
          }
          stream.current = s;
          // A camera unplugged (or a capture the user ends) ends its track.
          s.getVideoTracks()[0]?.addEventListener('ended', () => {
            if (stream.current === s) fail('ended');
          });
          v.muted = true;
          v.srcObject = s;
          await v.play();
          if (stale()) return;
          if (src.kind === 'camera') {
            const found = (await md.enumerateDevices()).filter((d) => d.kind === 'videoinput');
            if (stale()) return;
            setDevices(found);
          }
        }
        setOn(true);
      } catch (e) {
        if (!stale()) fail(cameraErrorKind(e), e);
      }
    },
    [release, video, fail],
  );

  // A video the browser cannot decode fails after play() sometimes: listen for the element's error too.
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const onErr = () => {
      if (url.current) fail('unplayable', v.error?.message ?? '', videoFailure(v.error));
    };
    v.addEventListener('error', onErr);
    return () => v.removeEventListener('error', onErr);
  }, [video, fail]);

  // Respect the device: the camera goes off when the tab is hidden and when the panel unmounts. A
  // screen capture is left on when the tab is hidden (capturing another tab hides this one; the
  // browser shows its own sharing indicator), and a video file is the browser's to pause.
  useEffect(() => {
    const onVis = () => {
      if (document.visibilityState === 'hidden' && cameraActive.current) {
        release();
        setOn(false);
        setPausedHidden(true);
      }
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      document.removeEventListener('visibilitychange', onVis);
      release();
    };
  }, [release]);

  return { on, kind, error, detail, fileName, failure, devices, pausedHidden, start, stop };
}
