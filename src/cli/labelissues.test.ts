/** The labelissues CLI: the real entry point on an `avh`-shaped JSON, the issue's JSON keys, and input errors. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from './labelissues';
import { mulberry32 } from '../math/rng';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'labelissues-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** 3 classes on the axes of 6-d space, 150 points in Gaussian clusters: the avh command's input shape. */
function sample(n = 150) {
  const rand = mulberry32(5);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  return {
    embeddings: labels.map((y) => Array.from({ length: 6 }, (_, j) => (j === y ? 3 : 0) + gauss())),
    classVectors: [0, 1, 2].map((k) => Array.from({ length: 6 }, (_, j) => (j === k ? 1 : 0))),
    labels,
  };
}

/** AP without ties, written out: the mean over true errors of the precision at each one's rank. */
function apByRank(scores: number[], errors: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const isErr = new Set(errors);
  let hits = 0;
  let sum = 0;
  order.forEach((i, r) => {
    if (isErr.has(i)) sum += ++hits / (r + 1);
  });
  return sum / errors.length;
}

async function inProcess(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(console, 'error').mockImplementation((...m: unknown[]) => void (stderr += m.join(' ') + '\n'));
  try {
    return { code: await run(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('cli labelissues', () => {
  it('prints only the issue JSON through the real entry point, with metrics that match the scores', async () => {
    const input = file('good.json', sample());
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'labelissues', '--input', input, '--inject', '0.1', '--seed', '1', '--folds', '5', '--json'], {
      cwd: join(import.meta.dirname, '../..'),
    });
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['methods', 'injected', 'metrics', 'noise_matrix']);
    expect(Object.keys(json.methods)).toEqual(['avh', 'cl', 'margin', 'confidence', 'entropy', 'loss']);
    expect(json.injected).toHaveLength(15);
    for (const [name, m] of Object.entries(json.methods as Record<string, { scores: number[]; issues: number[] }>)) {
      expect(m.scores).toHaveLength(150);
      expect(m.issues.every((i) => Number.isInteger(i) && i >= 0 && i < 150)).toBe(true);
      expect(json.metrics[name].ap).toBeCloseTo(apByRank(m.scores, json.injected), 12);
    }
    expect(json.noise_matrix).toHaveLength(3);
  });

  it('uses given probabilities as they are: confidence is −p(given label)', async () => {
    const s = sample(30);
    const rand = mulberry32(2);
    const probs = s.labels.map(() => {
      const r = [rand(), rand(), rand()];
      const t = r[0] + r[1] + r[2];
      return r.map((v) => v / t);
    });
    const r = await inProcess(['--input', file('probs.json', { ...s, probs }), '--methods', 'confidence,cl', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['methods', 'noise_matrix']);
    json.methods.confidence.scores.forEach((v: number, i: number) => expect(v).toBe(-probs[i][s.labels[i]]));
    expect(r.stderr).toMatch(/probabilities from .*probs\.json's "probs"/);
  });

  it('prints a table without --json', async () => {
    const r = await inProcess(['--input', file('table.json', sample(60)), '--methods', 'loss,margin', '--inject', '0.2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^method\s+issues\s+first \(0-based\)\s+AP\s+P@k\s+R@1%\s+R@5%/);
    expect(r.stdout).toMatch(/injected: 12 uniform flips/);
    expect(r.stderr).toMatch(/5-fold cross-validation of the linear probe/);
  });

  it('names the file and the reason for bad input', async () => {
    const s = sample(9);
    const cases: [string[], RegExp][] = [
      [['--input', file('short.json', { ...s, probs: [[1, 0, 0]] })], /short\.json: "probs" has 1 rows but embeddings has 9/],
      [['--input', file('neg.json', { ...s, probs: s.labels.map(() => [1.5, -0.5, 0]) })], /neg\.json: "probs"\[0\]\[0\] = 1.5 is not a probability/],
      [['--input', file('sum.json', { ...s, probs: s.labels.map(() => [0.5, 0.2, 0.2]) })], /sum\.json: "probs"\[0\] sums to 0.9/],
      [['--input', file('bad.json', '{')], /bad\.json: not valid JSON/],
      [['--input', file('lab.json', { ...s, labels: s.labels.map(() => 7) })], /lab\.json: labels\[0\] = 7 is not a class index/],
      [['--input', file('ok.json', s), '--methods', 'avh,foo'], /unknown method "foo"/],
      [['--input', file('ok.json', s), '--inject', '1.5'], /--inject must be a share of the labels in \(0, 1\), got "1.5"/],
      [['--input', file('ok.json', s), '--folds', '20'], /ok\.json: 20 folds need at least 20 examples, got 9/],
      [[], /--input is required/],
    ];
    for (const [argv, msg] of cases) {
      const r = await inProcess(argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
  });
});
