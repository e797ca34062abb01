// Results collection, the printed table and the JSON file.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Result { name: string; value: number; unit: string; [extra: string]: unknown }

export const GFLOP_PER_IMAGE = 8.8; // ViT-B/32 vision encoder, one 224x224 image
export const NATIVE_CEILING_GFLOPS = 430; // onnxruntime-node on 2 AVX-512 cores (issue 8)

export class Report {
  readonly results: Result[] = [];
  readonly ratios: Record<string, number> = {};
  readonly notes: string[] = [];

  add(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
    const r = { name, value: round(value), unit, ...extra };
    this.results.push(r);
    const x = Object.keys(extra).length ? ` ${JSON.stringify(extra).slice(0, 140)}` : '';
    console.error(`  ${name.padEnd(52)} ${String(r.value).padStart(10)} ${unit}${x}`);
  }

  get(name: string): number | undefined {
    return this.results.find((r) => r.name === name)?.value;
  }

  ratio(name: string, value: number | undefined): void {
    if (value !== undefined && Number.isFinite(value)) this.ratios[name] = round(value, 3);
  }

  table(ranges: Record<string, { min: number; max: number; n: number }> = {}, variants: Record<string, number> = {}): string {
    const lines = this.results.map((r) => `${r.name.padEnd(56)} ${String(r.value).padStart(12)}  ${r.unit}`);
    const range = (k: string) => (ranges[k] ? `   (median of ${ranges[k].n}; min ${ranges[k].min}, max ${ranges[k].max})` : '');
    lines.push('', 'ratios:', ...Object.entries(this.ratios).map(([k, v]) => `  ${k.padEnd(40)} ${v}${range(k)}`));
    if (Object.keys(variants).length) lines.push('', 'variants (not headlines):', ...Object.entries(variants).map(([k, v]) => `  ${k.padEnd(40)} ${v}${range(k)}`));
    if (this.notes.length) lines.push('', 'notes:', ...this.notes.map((n) => `  - ${n}`));
    return lines.join('\n');
  }
}

export function round(v: number, digits = 3): number {
  if (!Number.isFinite(v)) return v;
  const m = Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 1 ? 100 : 10 ** digits;
  return Math.round(v * m) / m;
}

function version(pkg: string, from?: string): string {
  try {
    const req = createRequire(from ?? import.meta.url);
    const main = req.resolve(pkg);
    const dir = main.slice(0, main.lastIndexOf(`/node_modules/${pkg}/`) + `/node_modules/${pkg}/`.length);
    return JSON.parse(readFileSync(`${dir}package.json`, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export function machine(chromium: string | undefined, loadStart: number[]): Record<string, unknown> {
  const req = createRequire(import.meta.url);
  const cpuinfo = (() => { try { return readFileSync('/proc/cpuinfo', 'utf8'); } catch { return ''; } })();
  const cpuField = (field: string) => cpuinfo.match(new RegExp(`^${field}\\s*:\\s*(.*)$`, 'm'))?.[1] ?? '';
  const flags = cpuField('flags');
  return {
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    // the ISA decides the wasm-vs-native ratios: native MLAS uses AVX-512 where it exists, and the
    // lab's q8 kernel is fast only where V8 lowers the relaxed dot to VPDPBUSD (AVX-VNNI)
    cpu_family_model: cpuField('cpu family') && `${cpuField('cpu family')}/${cpuField('model')}`,
    avx2: /\bavx2\b/.test(flags), fma: /\bfma\b/.test(flags), avx_vnni: /\bavx_vnni\b/.test(flags),
    avx512: /\bavx512f\b/.test(flags), avx512_vnni: /\bavx512_vnni\b/.test(flags),
    memory_gib: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: chromium ?? 'not run',
    onnxruntime_node: version('onnxruntime-node'),
    onnxruntime_web: version('onnxruntime-web'),
    onnxruntime_web_in_transformers: version('onnxruntime-web', req.resolve('@huggingface/transformers')),
    transformers_js: version('@huggingface/transformers'),
    load_average_start: loadStart.map((x) => round(x, 2)),
    load_average_end: os.loadavg().map((x) => round(x, 2)),
    date: new Date().toISOString(),
  };
}
