import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { inFlight } from './in-flight';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** How many of `n` results (1 MB each) are still alive after the calls settled and their callers let go. */
async function survivors(n: number, call: (p: Promise<Float32Array>) => Promise<Float32Array>): Promise<number> {
  const refs: WeakRef<Float32Array>[] = [];
  for (let i = 0; i < n; i++) {
    const value = new Float32Array(2 ** 18);
    refs.push(new WeakRef(value));
    await call(Promise.resolve(value));
  }
  await new Promise((r) => setTimeout(r, 0));
  gc();
  await new Promise((r) => setTimeout(r, 0));
  gc();
  return refs.filter((r) => r.deref() !== undefined).length;
}

describe('inFlight', () => {
  it('keeps nothing of a settled call while the helper lives on (Promise.race with a long-lived promise kept them all)', async () => {
    const dead = new Promise<never>(() => undefined); // the helper never dies in this test
    const raced = await survivors(20, (p) => Promise.race([p, dead]));
    const calls = inFlight();
    const guarded = await survivors(20, (p) => calls.guard(p));
    // the control shows the test can see a leak: every raced result is still reachable from `dead`
    expect(raced).toBe(20);
    expect(guarded).toBeLessThanOrEqual(1);
  });

  it('fails every call in flight when the helper dies, and only those', async () => {
    const calls = inFlight();
    const done = calls.guard(Promise.resolve('ok'));
    await expect(done).resolves.toBe('ok');
    const a = calls.guard(new Promise<string>(() => undefined));
    const b = calls.guard(new Promise<string>(() => undefined));
    calls.failAll(new Error('the decode worker stopped (boom)'));
    await expect(a).rejects.toThrow('the decode worker stopped (boom)');
    await expect(b).rejects.toThrow('boom');
    // a call that settles normally after failAll keeps its own outcome
    await expect(calls.guard(Promise.reject(new Error('bad image')))).rejects.toThrow('bad image');
  });
});
