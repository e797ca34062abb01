/**
 * What went wrong with a camera or a video, from the browser's error: the page shows one clear
 * message per kind (getUserMedia rejects with DOMExceptions named by the Media Capture spec).
 */
export type CameraErrorKind = 'denied' | 'none' | 'busy' | 'constraints' | 'insecure' | 'ended' | 'unplayable' | 'other';

export function cameraErrorKind(e: unknown): CameraErrorKind {
  const name = (e as { name?: string } | null)?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'none';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'constraints';
    case 'TypeError':
      return 'insecure';
    default:
      return 'other';
  }
}

/**
 * Why a video file could not be played, from its element's MediaError code (HTML spec: 1 aborted,
 * 2 network, 3 decode, 4 source not supported), or 'noVideo' when it plays but has no picture.
 */
export type VideoFailure = 'aborted' | 'network' | 'decode' | 'format' | 'noVideo' | 'unknown';

export function videoFailure(error: { code: number } | null | undefined): VideoFailure {
  switch (error?.code) {
    case 1:
      return 'aborted';
    case 2:
      return 'network';
    case 3:
      return 'decode';
    case 4:
      return 'format';
    default:
      return 'unknown';
  }
}
