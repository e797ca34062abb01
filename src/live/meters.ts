/** Frame rates and latency over a sliding time window, for "camera fps vs processed fps". */

export class RateMeter {
  private times: number[] = [];
  constructor(private readonly windowMs = 2000) {}

  tick(now: number): void {
    this.times.push(now);
    this.trim(now);
  }

  /** Events per second over the window ending at `now` (0 with fewer than two events). */
  rate(now: number): number {
    this.trim(now);
    const n = this.times.length;
    if (n < 2) return 0;
    const span = this.times[n - 1] - this.times[0];
    return span > 0 ? ((n - 1) * 1000) / span : 0;
  }

  reset(): void {
    this.times = [];
  }

  private trim(now: number): void {
    while (this.times.length && this.times[0] < now - this.windowMs) this.times.shift();
  }
}

/** The last and mean latency of the most recent `size` samples (ms). */
export class LatencyMeter {
  private samples: number[] = [];
  last = 0;
  constructor(private readonly size = 30) {}

  add(ms: number): void {
    this.last = ms;
    this.samples.push(ms);
    if (this.samples.length > this.size) this.samples.shift();
  }

  get mean(): number {
    return this.samples.length ? this.samples.reduce((a, b) => a + b, 0) / this.samples.length : 0;
  }

  reset(): void {
    this.samples = [];
    this.last = 0;
  }
}
