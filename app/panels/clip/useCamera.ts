/**
 * A live video source for the Live sections: a camera (device, resolution, facing), a video file the
 * user dropped (played from a blob: URL, nothing uploaded) or a screen/tab capture. It stops the
 * tracks when the component unmounts (the panel is left) or the tab goes to the background, and
 * turns each failure into one kind (src/live/camera-errors.ts) the page words clearly.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { cameraErrorKind, type CameraErrorKind } from '../../../src/live/camera-errors';

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
  /** video inputs, with labels once permission was given */
  devices: MediaDeviceInfo[];
  /** the tab went to the background and the camera was stopped */
  pausedHidden: boolean;
  start(src: LiveSource): Promise<void>;
  stop(): void;
}

export function useCamera(video: RefObject<HTMLVideoElement | null>): CameraApi {
  const [on, setOn] = useState(false);
  const [kind, setKind] = useState<LiveSource['kind'] | null>(null);
  const [error, setError] = useState<CameraErrorKind | null>(null);
  const [detail, setDetail] = useState('');
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [pausedHidden, setPausedHidden] = useState(false);
  const stream = useRef<MediaStream | null>(null);
  const url = useRef<string | null>(null);

  const release = useCallback(() => {
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
    (k: CameraErrorKind, e?: unknown) => {
      release();
      setOn(false);
      setError(k);
      setDetail(e instanceof Error ? `${e.name}: ${e.message}` : e ? String(e) : '');
    },
    [release],
  );

  const start = useCallback(
    async (src: LiveSource) => {
      release();
      setError(null);
      setDetail('');
      setPausedHidden(false);
      setKind(src.kind);
      const v = video.current;
      if (!v) return;
      try {
        if (src.kind === 'file') {
          url.current = URL.createObjectURL(src.file);
          v.loop = true;
          v.muted = true;
          v.src = url.current;
          await v.play().catch((e) => {
            throw Object.assign(new Error(v.error?.message || (e as Error).message), { name: 'Unplayable' });
          });
        } else {
          const md = navigator.mediaDevices;
          if (!md) throw new TypeError('navigator.mediaDevices is missing (the page is not a secure context)');
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
          stream.current = s;
          // A camera unplugged (or a capture the user ends) ends its track.
          s.getVideoTracks()[0]?.addEventListener('ended', () => {
            if (stream.current === s) fail('ended');
          });
          v.muted = true;
          v.srcObject = s;
          await v.play();
          if (src.kind === 'camera') setDevices((await md.enumerateDevices()).filter((d) => d.kind === 'videoinput'));
        }
        setOn(true);
      } catch (e) {
        fail((e as Error)?.name === 'Unplayable' ? 'unplayable' : cameraErrorKind(e), e);
      }
    },
    [release, video, fail],
  );

  // A video the browser cannot decode fails after play() sometimes: listen for the element's error too.
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const onErr = () => {
      if (url.current) fail('unplayable', v.error?.message ?? '');
    };
    v.addEventListener('error', onErr);
    return () => v.removeEventListener('error', onErr);
  }, [video, fail]);

  // Respect the device: the camera goes off when the tab is hidden and when the panel unmounts.
  useEffect(() => {
    const onVis = () => {
      if (document.visibilityState === 'hidden' && stream.current) {
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

  return { on, kind, error, detail, devices, pausedHidden, start, stop };
}
