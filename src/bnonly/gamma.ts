import type { Architecture } from './resnet';

/**
 * When does BatchNorm "switch off" a channel? BN outputs gamma * xhat + beta with xhat of unit variance, so |gamma|
 * is the standard deviation of the channel's signal after BN. We call a channel disabled when |gamma| < 0.05:
 * its feature then carries at most 5% of a unit-variance signal and is close to the constant beta (after the
 * ReLU, either a constant or dead). Absolute rather than relative to the layer's max so layers compare.
 * Note the baseline: with open_lth's U(0, 1) init, 5% of channels start below the threshold.
 */
export const DISABLED_THRESHOLD = 0.05;

export interface Histogram {
  /** Bin edges over |gamma|, length bins + 1. */
  edges: number[];
  counts: number[];
}

export interface LayerGamma {
  layer: string;
  channels: number;
  disabled: number;
  disabledFraction: number;
  histogram: Histogram;
}

export interface GammaStats {
  threshold: number;
  layers: LayerGamma[];
  overall: { channels: number; disabled: number; disabledFraction: number; histogram: Histogram };
}

export function histogram(values: ArrayLike<number>, bins: number, max: number): Histogram {
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i * max) / bins);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    counts[Math.min(bins - 1, Math.floor((v / max) * bins))]++;
  }
  return { edges, counts };
}

export function gammaStats(
  arch: Architecture,
  params: Map<string, Float32Array>,
  threshold = DISABLED_THRESHOLD,
  bins = 20,
): GammaStats {
  let max = 1e-12;
  for (const bn of arch.bns) for (const g of params.get(`${bn.name}.gamma`)!) max = Math.max(max, Math.abs(g));
  const all: number[] = [];
  const layers = arch.bns.map((bn) => {
    const g = params.get(`${bn.name}.gamma`)!;
    let disabled = 0;
    for (const v of g) {
      all.push(v);
      if (Math.abs(v) < threshold) disabled++;
    }
    return { layer: bn.name, channels: g.length, disabled, disabledFraction: disabled / g.length, histogram: histogram(g, bins, max) };
  });
  const disabled = layers.reduce((s, l) => s + l.disabled, 0);
  return {
    threshold,
    layers,
    overall: { channels: all.length, disabled, disabledFraction: disabled / all.length, histogram: histogram(all, bins, max) },
  };
}
