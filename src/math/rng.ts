/**
 * Seeded pseudo-random numbers, one generator (mulberry32) for the whole lab, so that one seed gives
 * the same draws in a browser worker and in Node: the probe's sampling, the shift lab and the map use
 * the functional helpers; the BN-only trainer's runs use `Rng`.
 */

/** mulberry32: a 32-bit state generator; uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => mulberry32Output((a = (a + 0x6d2b79f5) >>> 0));
}

/** mulberry32's output for an advanced state. */
function mulberry32Output(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Standard normal draws (Box-Muller) from a uniform source. */
export function gaussianSource(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u <= Number.EPSILON) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], uniform: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** A BN-only run's generator: every random choice of a run (init, masks, data order, augmentation) derives from it. */
export class Rng {
  /** mulberry32's state; app/workers/bnonly-checkpoint.ts saves and restores it to resume a run bit-for-bit. */
  private s: number;
  constructor(seed: number) {
    this.s = (seed >>> 0) ^ 0x9e3779b9;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return mulberry32Output((this.s = (this.s + 0x6d2b79f5) >>> 0));
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Standard normal via Box-Muller. */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** A fresh stream, so adding draws to one purpose never shifts another. */
  fork(tag: number): Rng {
    return new Rng(Math.floor(this.next() * 4294967296) ^ Math.imul(tag + 1, 0x85ebca6b));
  }
  shuffle(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
