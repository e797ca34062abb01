/**
 * `cli labelissues --input f.json [--methods avh,cl,margin,confidence,entropy,loss] [--inject 0.1 --seed 1]
 * [--folds 5] [--json]`: which score finds label errors (issue #19). Input: the `avh` command's JSON
 * ({"embeddings", "classVectors", "labels"}) plus optional "probs" ([n][classes] out-of-sample
 * probabilities, e.g. zero-shot); without them the linear probe is cross-validated (k folds) on the
 * embeddings. Output {"methods": {name: {"scores", "issues"}}, "injected"?, "metrics"?, "noise_matrix"};
 * every method's scores are higher = more likely an error, issues are 0-based indices.
 * Exit codes: 0 done, 1 bad usage or input (the message names the file and the reason).
 */
import { parseFlags } from './args';
import { parseAvhInput } from './avh';
import { InputFileError, readRegularFile } from './read-input';
import { compareJson, compareMethods } from '../hardness/label-issues/compare';
import { METHODS, type Method } from '../hardness/label-issues/error-scores';

const USAGE = 'usage: cli labelissues --input <file.json> [--methods avh,cl,margin,confidence,entropy,loss] [--inject <rate> --seed <n>] [--folds <k>] [--json]';

/** Rows sum to 1 within this: probabilities saved as float32 or rounded to 6 digits still pass. */
const ROW_SUM_TOLERANCE = 1e-3;

/** "probs" checked against n examples and C classes: a flat array, or why it is unusable. */
export function parseProbs(value: unknown, n: number, C: number): Float64Array | string {
  if (!Array.isArray(value)) return '"probs" must be an array of probability rows';
  if (value.length !== n) return `"probs" has ${value.length} rows but embeddings has ${n}`;
  const out = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    const r = value[i] as unknown;
    if (!Array.isArray(r) || r.length !== C) return `"probs"[${i}] must be an array of ${C} probabilities (one per class vector)`;
    let s = 0;
    for (let k = 0; k < C; k++) {
      const p = r[k] as unknown;
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) return `"probs"[${i}][${k}] = ${JSON.stringify(p)} is not a probability in [0, 1]`;
      out[i * C + k] = p;
      s += p;
    }
    if (Math.abs(s - 1) > ROW_SUM_TOLERANCE) return `"probs"[${i}] sums to ${+s.toPrecision(6)}, not 1`;
  }
  return out;
}

export function parseMethods(value: string | undefined): Method[] | string {
  if (value === undefined) return [...METHODS];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) return '--methods is empty';
  const bad = names.find((m) => !(METHODS as readonly string[]).includes(m));
  if (bad) return `unknown method "${bad}" (known: ${METHODS.join(', ')})`;
  return [...new Set(names)] as Method[];
}

function number(name: string, value: string | undefined, ok: (v: number) => boolean, want: string): number | string | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  return value.trim() !== '' && ok(v) ? v : `--${name} must be ${want}, got "${value}"`;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, { input: 'string', methods: 'string', inject: 'string', seed: 'string', folds: 'string', json: 'boolean', help: 'boolean' });
  const fail = (msg: string) => (console.error(`labelissues: ${msg}`), 1);
  if ('error' in parsed) return fail(`${parsed.error}\n${USAGE}`);
  const { flags, positionals } = parsed;
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!flags.input) return fail(`--input is required\n${USAGE}`);
  if (positionals.length) return fail(`unexpected arguments: ${positionals.join(' ')}\n${USAGE}`);
  const methods = parseMethods(flags.methods);
  const inject = number('inject', flags.inject, (v) => v > 0 && v < 1, 'a share of the labels in (0, 1)');
  const seed = number('seed', flags.seed, (v) => Number.isSafeInteger(v) && v >= 0, 'a non-negative integer');
  const folds = number('folds', flags.folds, (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2');
  for (const v of [methods, inject, seed, folds]) if (typeof v === 'string') return fail(`${v}\n${USAGE}`);
  const file = flags.input;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await readRegularFile(file, { expected: 'a JSON file' })));
  } catch (e) {
    const err = e as Error;
    return fail(`${file}: ${err instanceof InputFileError ? err.reason : err instanceof SyntaxError ? `not valid JSON (${err.message})` : err.message}`);
  }
  const input = parseAvhInput(json);
  if (typeof input === 'string') return fail(`${file}: ${input}`);
  const n = input.embeddings.length;
  const C = input.classVectors.length;
  const rawProbs = (json as Record<string, unknown>).probs;
  const probs = rawProbs === undefined ? undefined : parseProbs(rawProbs, n, C);
  if (typeof probs === 'string') return fail(`${file}: ${probs}`);
  const k = (folds as number | undefined) ?? 5;
  if (!probs && k > n) return fail(`${file}: ${k} folds need at least ${k} examples, got ${n}`);
  const dim = input.classVectors[0].length;
  const x = new Float32Array(n * dim);
  input.embeddings.forEach((z, i) => x.set(z, i * dim));
  const r = compareMethods(
    { embeddings: x, dim, classVectors: input.classVectors, labels: input.labels, probs },
    { methods: methods as Method[], noise: inject === undefined ? undefined : { kind: 'uniform', rate: inject as number }, seed: (seed as number | undefined) ?? 1, folds: k },
  );
  // which probabilities: on stderr, so stdout stays the issue's JSON exactly
  console.error(`labelissues: probabilities ${r.probsFrom === 'given' ? `from ${file}'s "probs"` : `from ${k}-fold cross-validation of the linear probe`}`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(compareJson(r))}\n`);
    return 0;
  }
  const lines: string[] = [];
  const head = ['method', 'issues', 'first (0-based)', ...(r.metrics ? ['AP', 'P@k', 'R@1%', 'R@5%'] : [])];
  const rows = Object.entries(r.methods).map(([name, m]) => {
    const mt = r.metrics?.[name];
    return [name, String(m.issues.length), m.issues.slice(0, 5).join(',') || '-', ...(mt ? [mt.ap, mt.precision_at_k, mt.recall_at_1pct, mt.recall_at_5pct].map((v) => v.toFixed(3)) : [])];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  lines.push(line(head), ...rows.map(line));
  if (r.injected) lines.push(`injected: ${r.injected.length} uniform flips (seed ${(seed as number | undefined) ?? 1})`);
  lines.push('noise matrix P(given | true), rows given, columns true:', ...r.noiseMatrix.map((row) => row.map((v) => v.toFixed(3)).join(' ')));
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
