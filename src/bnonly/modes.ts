import type { Architecture, ParamInit } from './resnet';
import { Rng } from '../math/rng';

/** The parameter groups a mode can train whole. */
export type ParamGroup = 'conv' | 'bn' | 'output';

/** Sizes of the groups of one network (from its architecture: shapes only, no weights needed). */
export interface GroupSizes {
  conv: number;
  /** BatchNorm γ and β */
  bn: number;
  /** the output layer's weights and bias */
  output: number;
  /** output channels summed over every conv (random2 trains a fixed number per channel) */
  convChannels: number;
}

export interface ModeSpec {
  /** the id the CLI's --modes, the saved runs and the exports use */
  id: string;
  /** what it trains, in words (the CLI's usage; the panel shows its translation, app/i18n's bnonly.modeNames) */
  label: string;
  /** line and swatch colour: distinct in both themes and for common colour-vision deficiencies */
  colour: string;
  /** groups trained whole */
  whole: readonly ParamGroup[];
  /** conv weights per output channel trained, chosen at random (random2) */
  randomPerChannel: number;
}

/**
 * Training modes, one record each. random2 is the paper's baseline: per output channel of every conv, as many
 * randomly chosen conv weights as BN has parameters for that channel (2), so it trains exactly as many
 * parameters as `bn`, but inside the convolutions; the output layer stays frozen.
 */
export const MODE_TABLE = [
  { id: 'full', label: 'every weight', colour: '#3b6fd8', whole: ['conv', 'bn', 'output'], randomPerChannel: 0 },
  { id: 'bn', label: 'BatchNorm γ and β only', colour: '#d1495b', whole: ['bn'], randomPerChannel: 0 },
  { id: 'bn+output', label: 'BatchNorm and the output layer', colour: '#d99a1e', whole: ['bn', 'output'], randomPerChannel: 0 },
  { id: 'output', label: 'the output layer only', colour: '#1a9a8a', whole: ['output'], randomPerChannel: 0 },
  { id: 'random2', label: '2 random conv weights per channel (as many as bn)', colour: '#8a5cc2', whole: [], randomPerChannel: 2 },
] as const satisfies readonly ModeSpec[];

export type Mode = (typeof MODE_TABLE)[number]['id'];
export const MODES: readonly Mode[] = MODE_TABLE.map((m) => m.id);

export function modeSpec(mode: Mode): ModeSpec {
  return MODE_TABLE.find((m) => m.id === mode)!;
}

/** How many parameters a mode trains in a network with these group sizes (the form counts before any weights exist). */
export function trainableCount(mode: Mode, sizes: GroupSizes): number {
  const spec = modeSpec(mode);
  return spec.whole.reduce((n, g) => n + sizes[g], 0) + spec.randomPerChannel * sizes.convChannels;
}

/** The group sizes of a network, from its shapes alone. */
export function groupSizes(arch: Architecture): GroupSizes {
  const classes = arch.spec.numClasses;
  return {
    conv: arch.convs.reduce((s, c) => s + c.k * c.k * c.cin * c.cout, 0),
    bn: arch.bns.reduce((s, b) => s + 2 * b.channels, 0),
    output: arch.fcIn * classes + classes,
    convChannels: arch.convs.reduce((s, c) => s + c.cout, 0),
  };
}

export function parseModes(s: string): Mode[] {
  const out: Mode[] = [];
  for (const m of s.split(',').map((t) => t.trim()).filter(Boolean)) {
    if (!(MODES as readonly string[]).includes(m)) throw new Error(`unknown mode "${m}" (expected ${MODES.join(', ')})`);
    out.push(m as Mode);
  }
  if (out.length === 0) throw new Error('no modes given');
  return out;
}

/** Which elements of each parameter a mode trains. `true` = the whole tensor, a Uint8Array = element mask (random2), absent = frozen. */
export type Trainable = Map<string, true | Uint8Array>;

const GROUP_OF: Record<ParamInit['kind'], ParamGroup> = { conv: 'conv', gamma: 'bn', beta: 'bn', fc_w: 'output', fc_b: 'output' };

export function trainableSet(mode: Mode, params: ParamInit[], seed: number): Trainable {
  const t: Trainable = new Map();
  const spec = modeSpec(mode);
  const rng = new Rng(seed).fork(7);
  for (const p of params) {
    if (spec.whole.includes(GROUP_OF[p.kind])) t.set(p.name, true);
    else if (spec.randomPerChannel > 0 && p.kind === 'conv') t.set(p.name, randomMask(p.shape, spec.randomPerChannel, rng));
  }
  return t;
}

/** Mask over a [k, k, cin, cout] conv weight with `perChannel` distinct positions per output channel. */
function randomMask(shape: number[], perChannel: number, rng: Rng): Uint8Array {
  const [kh, kw, cin, cout] = shape;
  const size = kh * kw * cin;
  const mask = new Uint8Array(size * cout);
  for (let o = 0; o < cout; o++) {
    // distinct positions drawn without replacement (for 2: a, then b among the others, as before)
    const picked: number[] = [];
    for (let k = 0; k < Math.min(perChannel, size); k++) {
      let i = rng.int(size - k);
      for (const q of [...picked].sort((x, y) => x - y)) if (i >= q) i++;
      picked.push(i);
      mask[i * cout + o] = 1;
    }
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
