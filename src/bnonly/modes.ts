import type { Architecture, ParamInit } from './resnet';
import { Rng } from '../math/rng';

export const MODES = ['full', 'bn', 'bn+output', 'output', 'random2'] as const;
export type Mode = (typeof MODES)[number];

export function parseModes(s: string): Mode[] {
  const out: Mode[] = [];
  for (const m of s.split(',').map((t) => t.trim()).filter(Boolean)) {
    if (!(MODES as readonly string[]).includes(m)) throw new Error(`unknown mode "${m}" (expected ${MODES.join(', ')})`);
    out.push(m as Mode);
  }
  if (out.length === 0) throw new Error('no modes given');
  return out;
}

/**
 * Which elements of each parameter a mode trains. `true` = the whole tensor, a Uint8Array = element mask
 * (random2), absent = frozen. random2 is the paper's baseline: per output channel of every conv, as many
 * randomly chosen conv weights as BN has parameters for that channel (2), so it trains exactly as many
 * parameters as `bn`, but inside the convolutions; the output layer stays frozen.
 */
export type Trainable = Map<string, true | Uint8Array>;

export function trainableSet(mode: Mode, arch: Architecture, params: ParamInit[], seed: number): Trainable {
  const t: Trainable = new Map();
  const rng = new Rng(seed).fork(7);
  for (const p of params) {
    const isBn = p.kind === 'gamma' || p.kind === 'beta';
    const isFc = p.kind === 'fc_w' || p.kind === 'fc_b';
    if (mode === 'full') t.set(p.name, true);
    else if (mode === 'bn' && isBn) t.set(p.name, true);
    else if (mode === 'bn+output' && (isBn || isFc)) t.set(p.name, true);
    else if (mode === 'output' && isFc) t.set(p.name, true);
    else if (mode === 'random2' && p.kind === 'conv') t.set(p.name, random2Mask(p.shape, rng));
  }
  void arch;
  return t;
}

/** Mask over a [k, k, cin, cout] conv weight with 2 distinct positions per output channel. */
function random2Mask(shape: number[], rng: Rng): Uint8Array {
  const [kh, kw, cin, cout] = shape;
  const perChannel = kh * kw * cin;
  const mask = new Uint8Array(perChannel * cout);
  for (let o = 0; o < cout; o++) {
    const a = rng.int(perChannel);
    let b = rng.int(perChannel - 1);
    if (b >= a) b++;
    mask[a * cout + o] = 1;
    mask[b * cout + o] = 1;
  }
  return mask;
}

export function countTrainable(t: Trainable, params: ParamInit[]): number {
  let n = 0;
  for (const p of params) {
    const m = t.get(p.name);
    if (m === true) n += p.data.length;
    else if (m) n += m.reduce((s, v) => s + v, 0);
  }
  return n;
}
