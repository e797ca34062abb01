/** The avh CLI: the real entry point on a small JSON with known angles, and its input errors. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from './avh';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'avh-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

// (1,1) against the four axes: 45°, 45°, 135°, 135°; (3,4) at 53.13° from x, 36.87° from y; (0,-2) on -y
const good = {
  embeddings: [[1, 1], [3, 4], [0, -2], [1, 1]],
  classVectors: [[1, 0], [0, 1], [-1, 0], [0, -1]],
  labels: [0, 1, 3, 2],
};
const a = Math.acos(0.8); // angle of (3,4) to y
const b = Math.acos(0.6); // to x
const expected = [45 / 360, a / (b + a + (Math.PI - b) + (Math.PI - a)), 0, 135 / 360];

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

describe('cli avh', () => {
  it('prints only {"avh": [...]} in input order through the real entry point', async () => {
    const input = file('good.json', good);
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'avh', '--input', input, '--json'], { cwd: join(import.meta.dirname, '../..') });
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['avh']);
    expect(json.avh).toHaveLength(4);
    json.avh.forEach((v: number, i: number) => expect(v).toBeCloseTo(expected[i], 14));
  });

  it('prints a table without --json', async () => {
    const r = await inProcess(['--input', file('table.json', good)]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(['index', 'label', 'nearest', 'avh', 'angle_deg']);
    expect(lines[2].trim().split(/\s+/)).toEqual(['1', '1', '1', expected[1].toFixed(6), '36.87']);
    expect(lines).toHaveLength(5);
  });

  it.each([
    ['zero.json', { ...good, embeddings: [[1, 1], [0, 0], [1, 0], [0, 1]] }, /zero.json: embeddings\[1\] is the zero vector/],
    ['range.json', { ...good, labels: [0, 1, 4, 0] }, /range.json: labels\[2\] = 4 is not a class index in 0..3/],
    ['negative.json', { ...good, labels: [0, -1, 0, 0] }, /labels\[1\] = -1/],
    ['shape.json', { ...good, embeddings: [[1, 1], [1, 1, 1], [1, 0], [0, 1]] }, /embeddings\[1\] has length 3, expected 2/],
    ['count.json', { ...good, labels: [0, 1] }, /labels has 2 entries but embeddings has 4/],
    ['missing.json', { embeddings: [[1, 0]], labels: [0] }, /"classVectors" must be an array/],
    ['wzero.json', { ...good, classVectors: [[1, 0], [0, 0]] }, /classVectors\[1\] is the zero vector/],
    ['notjson.json', '{"embeddings": [', /notjson.json: not valid JSON/],
  ])('exits 1 with a reason for %s', async (name, content, message) => {
    const r = await inProcess(['--input', file(name, content), '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('exits 1 on usage errors', async () => {
    expect((await inProcess([])).stderr).toMatch(/--input is required/);
    expect((await inProcess(['--input', join(dir, 'nope.json')])).stderr).toMatch(/nope.json: file not found/);
    expect((await inProcess(['--bogus'])).code).toBe(1);
  });
});
