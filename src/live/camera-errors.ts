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
