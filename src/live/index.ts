/** The live camera loop's framework-free parts (see README, Live camera). */
export { LatestFrameScheduler, type SchedulerStats } from './scheduler';
export { RateMeter, LatencyMeter } from './meters';
export { Ema, emaAlpha } from './ema';
export { SessionRecorder, topK, csvCell, alertIndex, type FrameRow, type TopEntry } from './recorder';
export { cameraErrorKind, videoFailure, type CameraErrorKind, type VideoFailure } from './camera-errors';
