/**
 * Newest frame wins: at most one frame is being processed and at most one waits. A frame offered
 * while one waits replaces it (the replaced one is dropped and released), so a slow model never
 * builds a queue and the result on screen is always about the latest frame the camera gave.
 */
export interface SchedulerStats {
  offered: number;
  processed: number;
  dropped: number;
  failed: number;
}

export class LatestFrameScheduler<F> {
  private busy = false;
  private waiting: F | null = null;
  private stopped = false;
  readonly stats: SchedulerStats = { offered: 0, processed: 0, dropped: 0, failed: 0 };

  /**
   * `process` handles one frame (it owns it: close it when done); `release` frees a frame that is
   * dropped unprocessed; `onError` hears a failed frame (the loop goes on with the next one).
   */
  constructor(
    private readonly process: (frame: F) => Promise<void>,
    private readonly release: (frame: F) => void = () => undefined,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  /** True while a frame is being processed (the page can skip grabbing a frame then). */
  get isBusy(): boolean {
    return this.busy;
  }

  offer(frame: F): void {
    this.stats.offered++;
    if (this.stopped) {
      this.stats.dropped++;
      this.release(frame);
      return;
    }
    if (this.busy) {
      if (this.waiting !== null) {
        this.stats.dropped++;
        this.release(this.waiting);
      }
      this.waiting = frame;
      return;
    }
    void this.run(frame);
  }

  /** Drops the waiting frame and refuses new ones; the frame in flight finishes. */
  stop(): void {
    this.stopped = true;
    if (this.waiting !== null) {
      this.stats.dropped++;
      this.release(this.waiting);
      this.waiting = null;
    }
  }

  private async run(frame: F): Promise<void> {
    this.busy = true;
    let next: F | null = frame;
    while (next !== null) {
      try {
        await this.process(next);
        this.stats.processed++;
      } catch (e) {
        this.stats.failed++;
        this.onError(e);
      }
      next = this.stopped ? null : this.waiting;
      this.waiting = null;
    }
    this.busy = false;
  }
}
