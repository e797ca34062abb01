import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './bnonly';

afterEach(() => vi.restoreAllMocks());

describe('bnonly CLI', () => {
  it('prints only the documented JSON for every mode, from one initialisation', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const code = await run(
      '--dataset fashion-mnist --depth 8 --width 16 --modes bn,bn+output,output,full,random2 --train 128 --test 64 --steps 2 --batch 32 --seed 1 --json'.split(' '),
    );
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { runs: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(['runs']);
    expect(parsed.runs.map((r) => [r.mode, r.trainable_params, r.total_params])).toEqual([
      ['bn', 672, 77754],
      ['bn+output', 1322, 77754],
      ['output', 650, 77754],
      ['full', 77754, 77754],
      ['random2', 672, 77754],
    ]);
    for (const r of parsed.runs) {
      expect(Object.keys(r)).toEqual(['mode', 'trainable_params', 'total_params', 'test_accuracy', 'frozen_unchanged', 'disabled_fraction', 'disabled_threshold']);
      expect(r.frozen_unchanged).toBe(true);
      expect(r.test_accuracy).toBeGreaterThanOrEqual(0);
      expect(r.test_accuracy).toBeLessThanOrEqual(1);
      expect(r.disabled_threshold).toBe(0.05);
    }
  }, 120_000);

  it('reports bad arguments and unreadable data with a message and a non-zero code', async () => {
    const errs: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errs.push(String(m)));
    expect(await run(['--dataset', 'cifar10', '--data', '/nonexistent/cifar.tar.gz'])).toBe(1);
    expect(errs.join('\n')).toMatch(/\/nonexistent\/cifar\.tar\.gz: no such file or folder/);
    expect(await run(['--modes', 'bn,everything'])).toBe(1);
    expect(errs.join('\n')).toMatch(/unknown mode "everything"/);
    expect(await run(['--depth', '9'])).toBe(1);
    expect(errs.join('\n')).toMatch(/depth must be 6n\+2/);
  });

  it('--order trains in curriculum order from an index list, same JSON shape; a bad order file is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bn-order-'));
    const order = join(dir, 'order.json');
    writeFileSync(order, JSON.stringify({ format: 'clip-lab/curriculum', split: 'train', images: [{ index: 5 }, { index: 3 }, { index: 3 }, { index: 999 }] }));
    let out = '';
    const errs: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errs.push(String(m)));
    const code = await run(`--depth 8 --width 4 --modes bn --train 64 --test 16 --steps 2 --batch 16 --order ${order} --json`.split(' '));
    expect(code).toBe(0);
    expect(errs.join('\n')).toContain(`curriculum order from ${order}: 2 ranked, 62 unranked last, 2 ignored`);
    expect(Object.keys(JSON.parse(out).runs[0])).toEqual(['mode', 'trainable_params', 'total_params', 'test_accuracy', 'frozen_unchanged', 'disabled_fraction', 'disabled_threshold']);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"images":[{"path":"a.png"}]}');
    expect(await run(['--train', '64', '--order', bad])).toBe(1);
    expect(errs.join('\n')).toContain(`${bad}: images[0] has no "index"`);
  }, 60_000);
});
