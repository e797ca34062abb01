/**
 * Calls `tick` once per frame the video presents (requestVideoFrameCallback, else once per animation frame)
 * until the returned function is called. One loop for live classification and live segmentation.
 */
export type VideoWithRvfc = HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number; cancelVideoFrameCallback?: (h: number) => void };

export function onEachVideoFrame(v: VideoWithRvfc, tick: () => void): () => void {
  let alive = true;
  let handle = 0;
  const next = () => (v.requestVideoFrameCallback ? v.requestVideoFrameCallback(step) : requestAnimationFrame(step));
  const step = () => {
    if (!alive) return;
    tick();
    handle = next();
  };
  handle = next();
  return () => {
    alive = false;
    if (v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(handle);
    else cancelAnimationFrame(handle);
  };
}
