/**
 * Injected-noise comparison over rates and seeds: each (rate, seed) is one compareMethods run; per
 * method the four metrics' values over seeds with mean and sample sd, the winner by mean AP, and its
 * paired AP gap over the runner-up (same seeds, so the gap's sd is the spread of the difference).
 */
import { compareMethods, type CompareInput } from './compare';
import type { Method } from './error-scores';
import { meanStd, type PrPoint, type RankingMetrics } from './ranking-metrics';

export const METRIC_KEYS = ['ap', 'precision_at_k', 'recall_at_1pct', 'recall_at_5pct'] as const;

export interface Spread {
  mean: number;
  std: number;
  values: number[];
}

export interface RateSummary {
  rate: number;
  seeds: number[];
  methods: Record<string, Record<keyof RankingMetrics, Spread>>;
  /** per method: how many it flags, and the precision and recall of that issue list */
  flagged: Record<string, { count: Spread; precision: Spread; recall: Spread }>;
  /** by mean AP */
  winner: string;
  /** methods with the winner's AP on every seed (the same ranking, e.g. confidence and loss) */
  tiedWith: string[];
  /** the best method whose AP differs from the winner's on some seed */
  runnerUp: string;
  /** winner's AP minus the runner-up's, paired by seed */
  gap: Spread;
  /** the first seed's PR curves (for charts) */
  curves: Record<string, PrPoint[]>;
  /** the first seed's noise matrix estimate */
  noiseMatrix: number[][];
}

export interface SweepOptions {
  rates: readonly number[];
  seeds: readonly number[];
  methods: readonly Method[];
  folds?: number;
  l2?: number;
  /** called after each run, for progress */
  onRun?: (done: number, total: number) => void;
}

const spread = (values: number[]): Spread => ({ ...meanStd(values), values });

export function noiseSweep(input: CompareInput, options: SweepOptions): RateSummary[] {
  const total = options.rates.length * options.seeds.length;
  let done = 0;
  return options.rates.map((rate) => {
    const perSeed = options.seeds.map((seed) => {
      const r = compareMethods(input, { methods: options.methods, noise: { kind: 'uniform', rate }, seed, folds: options.folds, l2: options.l2 });
      options.onRun?.(++done, total);
      return r;
    });
    const methods: RateSummary['methods'] = {};
    for (const m of options.methods) {
      methods[m] = Object.fromEntries(METRIC_KEYS.map((k) => [k, spread(perSeed.map((r) => r.metrics![m][k]))])) as Record<keyof RankingMetrics, Spread>;
    }
    const flagged: RateSummary['flagged'] = {};
    for (const m of options.methods) {
      const lists = perSeed.map((r) => ({ issues: r.methods[m].issues, truth: new Set(r.injected) }));
      const hits = lists.map((l) => l.issues.filter((i) => l.truth.has(i)).length);
      flagged[m] = {
        count: spread(lists.map((l) => l.issues.length)),
        precision: spread(lists.map((l, s) => (l.issues.length ? hits[s] / l.issues.length : NaN))),
        recall: spread(lists.map((l, s) => hits[s] / l.truth.size)),
      };
    }
    const byAp = [...options.methods].sort((a, b) => methods[b].ap.mean - methods[a].ap.mean);
    const winner = byAp[0];
    const same = (m: string) => methods[m].ap.values.every((v, s) => v === methods[winner].ap.values[s]);
    const tiedWith = byAp.slice(1).filter(same);
    const runnerUp = byAp.slice(1).find((m) => !same(m)) ?? winner;
    return {
      rate,
      seeds: [...options.seeds],
      methods,
      flagged,
      winner,
      tiedWith,
      runnerUp,
      gap: spread(methods[winner].ap.values.map((v, s) => v - methods[runnerUp].ap.values[s])),
      curves: perSeed[0].curves!,
      noiseMatrix: perSeed[0].noiseMatrix,
    };
  });
}
