/**
 * Image batches spread over several encoders: the CLIP worker's own session and a second encoder
 * worker's (see encoderLanes in src/runtime/backend.ts for why two one-thread sessions beat one
 * two-thread session). `encode` runs a batch on the first idle encoder, or waits for one. An encoder
 * that is gone for good (its worker died) throws LaneLostError: the pool drops it and runs the batch
 * on another, so losing the helper costs speed, never results. The first encoder is never dropped.
 */

export interface EncoderLane {
  name: string;
  encode(pixels: Float32Array[]): Promise<Float32Array>;
}

/** A lane's worker is gone: nothing more will run there. */
export class LaneLostError extends Error {
  constructor(lane: string, reason: string) {
    super(`the ${lane} encoder stopped (${reason})`);
    this.name = 'LaneLostError';
  }
}

export class EncoderPool {
  private readonly lanes = new Set<EncoderLane>();
  private idle: EncoderLane[] = [];
  private waiting: ((lane: EncoderLane) => void)[] = [];
  private readonly batches = new Map<string, number>();

  constructor(private readonly primary: EncoderLane) {
    this.add(primary);
  }

  /** encoders in the pool: how many batches are worth having in flight */
  get size(): number {
    return this.lanes.size;
  }

  names(): string[] {
    return [...this.lanes].map((l) => l.name);
  }

  /** batches each encoder has run since the pool was made, by name */
  counts(): Map<string, number> {
    return new Map(this.batches);
  }

  add(lane: EncoderLane): void {
    this.lanes.add(lane);
    this.release(lane);
  }

  remove(lane: EncoderLane): void {
    if (lane === this.primary) return;
    this.lanes.delete(lane);
    this.idle = this.idle.filter((l) => l !== lane);
  }

  async encode(pixels: Float32Array[]): Promise<Float32Array> {
    for (;;) {
      const lane = await this.acquire();
      try {
        const out = await lane.encode(pixels);
        this.batches.set(lane.name, (this.batches.get(lane.name) ?? 0) + 1);
        return out;
      } catch (e) {
        if (!(e instanceof LaneLostError) || lane === this.primary) throw e;
        this.remove(lane);
      } finally {
        this.release(lane);
      }
    }
  }

  private acquire(): Promise<EncoderLane> {
    const lane = this.idle.shift();
    return lane ? Promise.resolve(lane) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(lane: EncoderLane): void {
    if (!this.lanes.has(lane)) return;
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.idle.push(lane);
  }
}
