import { describe, expect, it } from 'vitest';
import { alertIndex, cameraErrorKind, csvCell, videoFailure, Ema, emaAlpha, LatencyMeter, LatestFrameScheduler, RateMeter, SessionRecorder, topK } from './index';

/** A processor whose frames finish only when the test says so. */
function gatedProcessor() {
  const seen: number[] = [];
  const gates: (() => void)[] = [];
  const process = (f: number) =>
    new Promise<void>((resolve) => {
      seen.push(f);
      gates.push(resolve);
    });
  const finishOne = async () => {
    gates.shift()!();
    // let the scheduler's loop pick up the next frame
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { seen, process, finishOne };
}

describe('LatestFrameScheduler', () => {
  it('processes the newest frame after a busy spell and releases the ones it skipped', async () => {
    const g = gatedProcessor();
    const released: number[] = [];
    const s = new LatestFrameScheduler<number>(g.process, (f) => released.push(f));
    s.offer(1);
    expect(s.isBusy).toBe(true);
    for (const f of [2, 3, 4, 5]) s.offer(f);
    expect(released).toEqual([2, 3, 4]); // never more than one waiting
    await g.finishOne();
    expect(g.seen).toEqual([1, 5]);
    await g.finishOne();
    expect(s.isBusy).toBe(false);
    expect(s.stats).toEqual({ offered: 5, processed: 2, dropped: 3, failed: 0 });
    s.offer(6);
    expect(g.seen).toEqual([1, 5, 6]);
  });

  it('goes on after a failed frame and stops taking frames once stopped', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const s = new LatestFrameScheduler<number>(
      async (f) => {
        n++;
        if (f === 1) throw new Error('boom');
      },
      () => undefined,
      (e) => errors.push(e),
    );
    s.offer(1);
    s.offer(2);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(n).toBe(2);
    expect(s.stats.failed).toBe(1);
    expect((errors[0] as Error).message).toBe('boom');
    const released: number[] = [];
    const t = new LatestFrameScheduler<number>(async () => undefined, (f) => released.push(f));
    t.stop();
    t.offer(9);
    expect(released).toEqual([9]);
  });
});

describe('meters', () => {
  it('RateMeter counts intervals over the window', () => {
    const r = new RateMeter(1000);
    expect(r.rate(0)).toBe(0);
    for (let t = 0; t <= 900; t += 100) r.tick(t); // 10 ticks, 9 intervals of 100 ms
    expect(r.rate(900)).toBeCloseTo(10, 10);
    // 1.5 s later every tick has left the window
    expect(r.rate(2500)).toBe(0);
  });

  it('LatencyMeter keeps the last and the mean of the recent samples', () => {
    const l = new LatencyMeter(3);
    [10, 20, 30, 40].forEach((x) => l.add(x));
    expect(l.last).toBe(40);
    expect(l.mean).toBe(30); // 20, 30, 40
  });
});

describe('Ema', () => {
  it('matches the recurrence computed by hand', () => {
    expect(emaAlpha(1)).toBe(1);
    expect(emaAlpha(3)).toBe(0.5);
    const e = new Ema(3);
    expect(e.update([1, 0])).toEqual([1, 0]);
    expect(e.update([0, 1])).toEqual([0.5, 0.5]);
    expect(e.update([0, 1])).toEqual([0.25, 0.75]);
    // a new class list restarts the average
    expect(e.update([0.2, 0.3, 0.5])).toEqual([0.2, 0.3, 0.5]);
  });

  it('refuses a window under one frame', () => {
    expect(() => new Ema(0)).toThrow(/at least 1 frame/);
    expect(() => emaAlpha(Number.NaN)).toThrow(/at least 1 frame/);
  });
});

describe('recorder', () => {
  it('topK sorts by probability and checks its inputs', () => {
    expect(topK(['a', 'b', 'c'], [0.2, 0.5, 0.3], [1, 3, 2], 2)).toEqual([
      { label: 'b', prob: 0.5, logit: 3 },
      { label: 'c', prob: 0.3, logit: 2 },
    ]);
    expect(() => topK(['a'], [0.1, 0.9], [0, 0])).toThrow(/1 labels but 2 probabilities/);
  });

  it('writes JSONL and CSV that parse back to the rows', () => {
    const r = new SessionRecorder(1000);
    r.add(1100, 1, 12.34, [{ label: 'a "cat", sitting', prob: 0.75, logit: 21.5 }]);
    r.add(1250, 2, 8, [{ label: '=cmd', prob: 0.5, logit: -1 }]);
    const rows = r.toJsonl().trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toEqual([
      { t: 100, frame: 1, latencyMs: 12.3, top: [{ label: 'a "cat", sitting', prob: 0.75, logit: 21.5 }] },
      { t: 250, frame: 2, latencyMs: 8, top: [{ label: '=cmd', prob: 0.5, logit: -1 }] },
    ]);
    expect(r.toCsv().split('\n')).toEqual([
      't_ms,frame,latency_ms,rank,label,prob,logit',
      '100,1,12.3,1,"a ""cat"", sitting",0.75,21.5',
      "250,2,8,1,'=cmd,0.5,-1",
      '',
    ]);
    expect(csvCell('plain')).toBe('plain');
  });

  it('stops at its row cap', () => {
    const r = new SessionRecorder(0, 2);
    expect(r.add(1, 1, 1, [])).toBe(true);
    expect(r.add(2, 2, 1, [])).toBe(true);
    expect(r.add(3, 3, 1, [])).toBe(false);
    expect(r.rows.length).toBe(2);
  });

  it('alertIndex fires at the threshold for the named class only', () => {
    expect(alertIndex(['cat', 'dog'], [0.3, 0.7], 'dog', 0.7)).toBe(1);
    expect(alertIndex(['cat', 'dog'], [0.3, 0.7], 'cat', 0.5)).toBe(-1);
    expect(alertIndex(['cat', 'dog'], [0.3, 0.7], 'bird', 0)).toBe(-1);
  });
});

describe('cameraErrorKind', () => {
  it('maps the Media Capture errors to one message each', () => {
    const err = (name: string) => Object.assign(new Error('x'), { name });
    expect(cameraErrorKind(err('NotAllowedError'))).toBe('denied');
    expect(cameraErrorKind(err('NotFoundError'))).toBe('none');
    expect(cameraErrorKind(err('NotReadableError'))).toBe('busy');
    expect(cameraErrorKind(err('OverconstrainedError'))).toBe('constraints');
    expect(cameraErrorKind(new TypeError('no mediaDevices'))).toBe('insecure');
    expect(cameraErrorKind('weird')).toBe('other');
  });
});

describe('videoFailure', () => {
  it('words a video element\'s MediaError code as one reason each', () => {
    expect(videoFailure({ code: 4 })).toBe('format');
    expect(videoFailure({ code: 3 })).toBe('decode');
    expect(videoFailure({ code: 2 })).toBe('network');
    expect(videoFailure({ code: 1 })).toBe('aborted');
    expect(videoFailure(null)).toBe('unknown');
    expect(videoFailure({ code: 99 })).toBe('unknown');
  });
});
