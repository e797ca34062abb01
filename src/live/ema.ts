/**
 * Exponential moving average of probability vectors, "smoothed over N frames": alpha = 2 / (N + 1),
 * the usual span convention (N = 1 is no smoothing). The first frame starts the average; a vector of
 * another length (a new class list) restarts it.
 */
export function emaAlpha(windowFrames: number): number {
  if (!Number.isFinite(windowFrames) || windowFrames < 1) throw new Error(`smoothing window must be at least 1 frame, got ${windowFrames}`);
  return 2 / (windowFrames + 1);
}

export class Ema {
  private value: number[] | null = null;
  private alpha: number;

  constructor(windowFrames: number) {
    this.alpha = emaAlpha(windowFrames);
  }

  setWindow(windowFrames: number): void {
    this.alpha = emaAlpha(windowFrames);
  }

  update(x: readonly number[]): number[] {
    if (!this.value || this.value.length !== x.length) this.value = [...x];
    else this.value = this.value.map((v, i) => v + this.alpha * (x[i] - v));
    return [...this.value];
  }

  reset(): void {
    this.value = null;
  }
}
