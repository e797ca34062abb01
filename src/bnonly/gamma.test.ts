import { describe, expect, it } from 'vitest';
import { DISABLED_THRESHOLD, gammaStats, histogram } from './gamma';
import { architecture, initParams } from './resnet';

describe('gamma statistics', () => {
  it('counts channels with |gamma| under the threshold per layer and overall', () => {
    const arch = architecture({ depth: 8, width: 2, inChannels: 1, numClasses: 10 });
    const params = new Map(initParams(arch, 0).map((p) => [p.name, p.data.slice()]));
    // Layer channels: stem 2, s1 2+2, s2 4+4+4, s3 8+8+8 = 42. Put known values in two layers, the rest at 0.5.
    for (const bn of arch.bns) params.get(`${bn.name}.gamma`)!.fill(0.5);
    params.get('stem.bn.gamma')!.set([0.01, -0.02]); // both disabled (|gamma| counts, sign does not)
    params.get('s3.b1.bn2.gamma')!.set([0.049, 0.05, -0.7, 0, 0.5, 0.5, 0.5, 0.5]); // 0.049 and 0 disabled, 0.05 not
    const s = gammaStats(arch, params);
    expect(s.threshold).toBe(DISABLED_THRESHOLD);
    expect(s.layers.find((l) => l.layer === 'stem.bn')!.disabledFraction).toBe(1);
    expect(s.layers.find((l) => l.layer === 's3.b1.bn2')!.disabled).toBe(2);
    expect(s.overall.channels).toBe(42);
    expect(s.overall.disabled).toBe(4);
    expect(s.overall.disabledFraction).toBeCloseTo(4 / 42, 12);
    expect(s.overall.histogram.counts.reduce((a, b) => a + b, 0)).toBe(42);
  });

  it('bins |values| over [0, max] with the max in the last bin', () => {
    expect(histogram([0, 0.1, -0.26, 0.5, 1], 4, 1)).toEqual({ edges: [0, 0.25, 0.5, 0.75, 1], counts: [2, 1, 1, 1] });
  });

  it("open_lth's U(0,1) init leaves about 5% of channels under the threshold before training", () => {
    const arch = architecture({ depth: 110, width: 16, inChannels: 3, numClasses: 10 });
    const s = gammaStats(arch, new Map(initParams(arch, 1).map((p) => [p.name, p.data])));
    expect(s.overall.disabledFraction).toBeGreaterThan(0.035);
    expect(s.overall.disabledFraction).toBeLessThan(0.065);
  });
});
