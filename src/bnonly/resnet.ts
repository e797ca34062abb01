import { Rng } from '../math/rng';

/**
 * open_lth `cifar_resnet_N_W` (Frankle, Schwab & Morcos use it for "Training BatchNorm and only BatchNorm"):
 * 3x3 conv (W) + BN + ReLU, three stages of D = (N-2)/6 basic blocks with widths W, 2W, 4W, stride 2 in the
 * first block of stages 2 and 3, a 1x1 stride-2 projection + BN when the shape changes, global average pool,
 * one linear layer. Layout is NHWC (TF.js); conv weights are [kh, kw, cin, cout].
 */
export interface ResNetSpec {
  depth: number;
  width: number;
  inChannels: number;
  numClasses: number;
}

export interface ConvLayer {
  name: string;
  k: number;
  cin: number;
  cout: number;
  stride: number;
  pad: number;
}

export interface Block {
  conv1: ConvLayer;
  bn1: string;
  conv2: ConvLayer;
  bn2: string;
  shortcut?: { conv: ConvLayer; bn: string };
}

export interface Architecture {
  spec: ResNetSpec;
  stem: ConvLayer;
  stemBn: string;
  blocks: Block[];
  /** Every BN layer name with its channel count, in forward order. */
  bns: { name: string; channels: number }[];
  convs: ConvLayer[];
  fcIn: number;
}

export type ParamKind = 'conv' | 'gamma' | 'beta' | 'fc_w' | 'fc_b';

export interface ParamInit {
  name: string;
  kind: ParamKind;
  shape: number[];
  data: Float32Array;
}

export function architecture(spec: ResNetSpec): Architecture {
  const { depth, width } = spec;
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new Error(`ResNet depth must be 6n+2 and at least 8 (8, 14, 20, 32, 44, 56, 110); got ${depth}`);
  }
  if (!Number.isInteger(width) || width < 1) throw new Error(`ResNet width must be a positive integer; got ${width}`);
  const d = (depth - 2) / 6;
  const conv = (name: string, k: number, cin: number, cout: number, stride: number): ConvLayer => ({
    name,
    k,
    cin,
    cout,
    stride,
    pad: k === 3 ? 1 : 0,
  });
  const stem = conv('stem.conv', 3, spec.inChannels, width, 1);
  const bns = [{ name: 'stem.bn', channels: width }];
  const convs = [stem];
  const blocks: Block[] = [];
  let cin = width;
  for (let s = 0; s < 3; s++) {
    const cout = width << s;
    for (let b = 0; b < d; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const p = `s${s + 1}.b${b + 1}`;
      const block: Block = {
        conv1: conv(`${p}.conv1`, 3, cin, cout, stride),
        bn1: `${p}.bn1`,
        conv2: conv(`${p}.conv2`, 3, cout, cout, 1),
        bn2: `${p}.bn2`,
      };
      convs.push(block.conv1, block.conv2);
      bns.push({ name: block.bn1, channels: cout }, { name: block.bn2, channels: cout });
      if (cin !== cout) {
        block.shortcut = { conv: conv(`${p}.shortcut.conv`, 1, cin, cout, 2), bn: `${p}.shortcut.bn` };
        convs.push(block.shortcut.conv);
        bns.push({ name: block.shortcut.bn, channels: cout });
      }
      blocks.push(block);
      cin = cout;
    }
  }
  return { spec, stem, stemBn: 'stem.bn', blocks, bns, convs, fcIn: cin };
}

/**
 * open_lth's defaults for this family: `kaiming_normal` (std = sqrt(2 / fan_in)) for conv and linear weights,
 * `bn_uniform` for BatchNorm (gamma ~ U(0, 1), beta = 0); the linear bias keeps PyTorch's default
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
export function initParams(arch: Architecture, seed: number): ParamInit[] {
  const rng = new Rng(seed);
  const out: ParamInit[] = [];
  const normal = (n: number, std: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.normal() * std;
    return a;
  };
  const bnParams = (name: string, c: number) => {
    const g = new Float32Array(c);
    for (let i = 0; i < c; i++) g[i] = rng.next();
    out.push({ name: `${name}.gamma`, kind: 'gamma', shape: [c], data: g });
    out.push({ name: `${name}.beta`, kind: 'beta', shape: [c], data: new Float32Array(c) });
  };
  const convParams = (c: ConvLayer) => {
    const fanIn = c.k * c.k * c.cin;
    out.push({ name: c.name, kind: 'conv', shape: [c.k, c.k, c.cin, c.cout], data: normal(fanIn * c.cout, Math.sqrt(2 / fanIn)) });
  };
  convParams(arch.stem);
  bnParams(arch.stemBn, arch.spec.width);
  for (const b of arch.blocks) {
    convParams(b.conv1);
    bnParams(b.bn1, b.conv1.cout);
    convParams(b.conv2);
    bnParams(b.bn2, b.conv2.cout);
    if (b.shortcut) {
      convParams(b.shortcut.conv);
      bnParams(b.shortcut.bn, b.shortcut.conv.cout);
    }
  }
  const nc = arch.spec.numClasses;
  out.push({ name: 'fc.w', kind: 'fc_w', shape: [arch.fcIn, nc], data: normal(arch.fcIn * nc, Math.sqrt(2 / arch.fcIn)) });
  const bound = 1 / Math.sqrt(arch.fcIn);
  const bias = new Float32Array(nc);
  for (let i = 0; i < nc; i++) bias[i] = (rng.next() * 2 - 1) * bound;
  out.push({ name: 'fc.b', kind: 'fc_b', shape: [nc], data: bias });
  return out;
}

/** Every weight, including BN's gamma and beta, excluding BN's running statistics (which are not parameters). */
export function countParams(params: ParamInit[]): number {
  return params.reduce((s, p) => s + p.data.length, 0);
}
