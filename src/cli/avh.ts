/**
 * `cli avh --input <file.json> [--json]`: Angular Visual Hardness of each embedding for its label.
 * Input {"embeddings": [[…]], "classVectors": [[…]], "labels": […]} (labels 0-based into
 * classVectors); output {"avh": […]} in input order. Float64 throughout.
 * Exit codes: 0 scored, 1 bad usage or input (the message names the file and the reason).
 */
import { avhScores, classAngles, nearestClassByAngle, validateAvhInput } from '../hardness/avh';
import { parseFlags } from './args';
import { InputFileError, readRegularFile } from './read-input';

const USAGE = 'usage: cli avh --input <file.json> [--json]';

export interface AvhInput {
  embeddings: number[][];
  classVectors: number[][];
  labels: number[];
}

/** Checks the JSON's shape; returns the input or the reason it is unusable. */
export function parseAvhInput(json: unknown): AvhInput | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'expected a JSON object with "embeddings", "classVectors" and "labels"';
  const o = json as Record<string, unknown>;
  for (const key of ['embeddings', 'classVectors'] as const) {
    const v = o[key];
    if (!Array.isArray(v)) return `"${key}" must be an array of number arrays`;
    const bad = v.findIndex((row) => !Array.isArray(row));
    if (bad >= 0) return `"${key}"[${bad}] is not an array`;
  }
  if (!Array.isArray(o.labels)) return '"labels" must be an array of class indices';
  const input = o as unknown as AvhInput;
  const problem = validateAvhInput(input.embeddings, input.classVectors, input.labels);
  return problem ?? input;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, { input: 'string', json: 'boolean', help: 'boolean' });
  if ('error' in parsed) {
    console.error(`avh: ${parsed.error}\n${USAGE}`);
    return 1;
  }
  const { flags, positionals } = parsed;
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const file = flags.input ?? (positionals.length === 1 ? positionals[0] : undefined);
  if (!file || positionals.length > (flags.input ? 0 : 1)) {
    console.error(`avh: ${file ? 'unexpected arguments' : '--input is required'}\n${USAGE}`);
    return 1;
  }
  let json: unknown;
  try {
    // Regular files only: a folder, a FIFO or /dev/zero gets a one-line reason, not EISDIR or a hang.
    json = JSON.parse(new TextDecoder().decode(await readRegularFile(file, { expected: 'a JSON file' })));
  } catch (e) {
    const err = e as Error;
    const reason = err instanceof InputFileError ? err.reason : err instanceof SyntaxError ? `not valid JSON (${err.message})` : err.message;
    console.error(`avh: ${file}: ${reason}`);
    return 1;
  }
  const input = parseAvhInput(json);
  if (typeof input === 'string') {
    console.error(`avh: ${file}: ${input}`);
    return 1;
  }
  const avh = avhScores(input.embeddings, input.classVectors, input.labels);
  const bad = avh.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    console.error(`avh: ${file}: embeddings[${bad}] has angle 0 to every class vector, so its AVH is undefined`);
    return 1;
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ avh: Array.from(avh) })}\n`);
    return 0;
  }
  const rows = input.embeddings.map((z, i) => {
    const angles = classAngles(z, input.classVectors);
    return [String(i), String(input.labels[i]), String(nearestClassByAngle(angles)), avh[i].toFixed(6), ((angles[input.labels[i]] * 180) / Math.PI).toFixed(2)];
  });
  const header = ['index', 'label', 'nearest', 'avh', 'angle_deg'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => s.padStart(widths[c])).join('  ');
  process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
  return 0;
}
