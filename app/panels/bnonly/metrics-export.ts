/** Metrics of an experiment as CSV (one row per mode and logged step) and JSON (config, counts, curves, gamma). */
import type { ExperimentRecord } from '../../workers/bnonly-protocol';

export const CSV_HEADER = ['experiment', 'mode', 'step', 'lr', 'loss', 'train_accuracy', 'test_accuracy', 'disabled_fraction', 'trainable_params', 'total_params'];

const cell = (v: number | string | undefined) => (v === undefined ? '' : typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`);

export function metricsCsv(r: ExperimentRecord): string {
  const lines = [CSV_HEADER.join(',')];
  for (const run of r.runs) {
    const steps = new Map<number, { lr?: number; loss?: number; trainAcc?: number; testAcc?: number; off?: number }>();
    for (const p of run.points) steps.set(p.step, { lr: p.lr, loss: p.loss, trainAcc: p.trainAcc });
    for (const e of run.evals) steps.set(e.step, { ...steps.get(e.step), testAcc: e.testAcc, off: e.disabledFraction });
    for (const [step, v] of [...steps].sort((a, b) => a[0] - b[0])) {
      lines.push(
        [r.id, run.mode, step, v.lr, v.loss, v.trainAcc, v.testAcc, v.off, run.trainableParams, run.totalParams].map(cell).join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function metricsJson(r: ExperimentRecord): string {
  return JSON.stringify(
    {
      format: 'clip-lab/bnonly-metrics@1',
      id: r.id,
      createdAt: new Date(r.createdAt).toISOString(),
      status: r.status,
      step: r.step,
      backend: r.backend,
      imagesPerSecond: r.imgPerSec,
      config: r.config,
      dataset: r.datasetInfo,
      runs: r.runs.map((run) => ({
        mode: run.mode,
        trainable_params: run.trainableParams,
        total_params: run.totalParams,
        test_accuracy: run.evals.at(-1)?.testAcc ?? null,
        disabled_fraction: run.gamma?.overall.disabledFraction ?? null,
        disabled_threshold: run.gamma?.threshold ?? null,
        frozen_unchanged: run.frozenUnchanged,
        points: run.points,
        evals: run.evals,
        gamma: run.gamma,
      })),
    },
    null,
    1,
  );
}
