// Memory (RSS from /proc) of Chromium's processes, by the ids Chromium reports over CDP, sampled
// while a measurement runs; and the renderers' CPU time.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export interface ChromeProcess { type: string; id: number }

/** Chromium's child processes (renderer, GPU, utility...; not the browser process itself), over CDP. */
export async function chromeProcesses(browser: Browser): Promise<ChromeProcess[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: ChromeProcess[] };
    return info.processInfo.filter((p) => p.type !== 'browser').map(({ type, id }) => ({ type, id }));
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export interface GroupSample { epoch_ms: number; renderer: number; gpu_utility: number }
export interface MemorySummary {
  /** MiB: max over the window, and the median of its last half ("steady"), per group */
  renderer_peak_mib: number; renderer_steady_mib: number;
  gpu_utility_peak_mib: number; gpu_utility_steady_mib: number;
  total_peak_mib: number; total_steady_mib: number;
  samples: number; every_ms: number; renderer_pids: number[]; gpu_utility_pids: number[];
}

/**
 * Samples /proc RSS of the lab's renderer processes (`isLab(pid)`: the renderers that appeared for
 * the lab's page, where the page and its workers live) and of Chromium's GPU and utility processes
 * (shared by every page), every `everyMs`; the process list is re-read every 2 s (a process may
 * start late). `summary(from, to)`: peak and steady (median of the window's last half) per group.
 */
export function sampleProcessGroups(browser: Browser, isLab: (p: ChromeProcess) => boolean, everyMs = 250) {
  const samples: GroupSample[] = [];
  let procs: ChromeProcess[] = [];
  const refresh = async () => { try { procs = await chromeProcesses(browser); } catch { /* closing */ } };
  const seen = { renderer: new Set<number>(), gpu: new Set<number>() };
  const tick = () => {
    let renderer = 0, gpu = 0;
    for (const p of procs) {
      if (p.type === 'renderer' && isLab(p)) { renderer += rssMiB(p.id); seen.renderer.add(p.id); }
      else if (p.type !== 'renderer') { gpu += rssMiB(p.id); seen.gpu.add(p.id); }
    }
    samples.push({ epoch_ms: Date.now(), renderer, gpu_utility: gpu });
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  let listTimer: ReturnType<typeof setInterval> | undefined;
  return {
    async start() {
      await refresh();
      tick();
      timer = setInterval(tick, everyMs);
      listTimer = setInterval(() => void refresh(), 2000);
    },
    stop() { clearInterval(timer); clearInterval(listTimer); tick(); },
    samples,
    summary(fromEpoch = 0, toEpoch = Infinity): MemorySummary {
      const w = samples.filter((s) => s.epoch_ms >= fromEpoch && s.epoch_ms <= toEpoch);
      const last = w.slice(Math.floor(w.length / 2));
      const med = (k: (s: GroupSample) => number) => Math.round(median(last.map(k)));
      const max = (k: (s: GroupSample) => number) => Math.round(Math.max(0, ...w.map(k)));
      const tot = (s: GroupSample) => s.renderer + s.gpu_utility;
      return {
        renderer_peak_mib: max((s) => s.renderer), renderer_steady_mib: med((s) => s.renderer),
        gpu_utility_peak_mib: max((s) => s.gpu_utility), gpu_utility_steady_mib: med((s) => s.gpu_utility),
        total_peak_mib: max(tot), total_steady_mib: med(tot),
        samples: w.length, every_ms: everyMs, renderer_pids: [...seen.renderer], gpu_utility_pids: [...seen.gpu],
      };
    },
  };
}

function median(v: number[]): number {
  const s = [...v].sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export interface CpuSampler { cpuMsBetween(fromEpoch: number, toEpoch: number): number; stop(): void }

/** Samples the renderers' cumulative CPU time (all threads, CDP SystemInfo) every `everyMs`. */
export async function sampleCpu(browser: Browser, everyMs = 100): Promise<CpuSampler> {
  const cdp = await browser.newBrowserCDPSession();
  const samples: { epoch: number; cpu_s: number }[] = [];
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
      samples.push({ epoch: Date.now(), cpu_s: info.processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime, 0) });
    } catch { /* browser closing */ } finally { busy = false; }
  };
  await tick();
  const timer = setInterval(tick, everyMs);
  const at = (epoch: number) => {
    // linear interpolation between the samples around `epoch`
    let i = samples.findIndex((s) => s.epoch >= epoch);
    if (i <= 0) i = Math.max(1, i < 0 ? samples.length - 1 : 1);
    const a = samples[i - 1], b = samples[i];
    if (!a || !b || b.epoch === a.epoch) return (b ?? a).cpu_s;
    return a.cpu_s + ((b.cpu_s - a.cpu_s) * (epoch - a.epoch)) / (b.epoch - a.epoch);
  };
  return {
    cpuMsBetween: (from, to) => (at(to) - at(from)) * 1000,
    stop: () => { clearInterval(timer); void cdp.detach().catch(() => undefined); },
  };
}
