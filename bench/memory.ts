// Peak memory of the browser's renderer processes (where the page and its workers live), read from
// /proc via the process ids Chromium reports over CDP, sampled while a measurement runs.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export async function rendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  return info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export interface MemorySampler { stop(): { peak_mib: number; samples: { epoch_ms: number; mib: number }[] } }

/** Samples the summed RSS of `pids` every `everyMs`. */
export function sampleMemory(pids: number[], everyMs = 200): MemorySampler {
  const samples: { epoch_ms: number; mib: number }[] = [];
  const tick = () => samples.push({ epoch_ms: Date.now(), mib: pids.reduce((s, p) => s + rssMiB(p), 0) });
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { peak_mib: Math.max(...samples.map((s) => s.mib)), samples };
    },
  };
}

/** RSS at the sample nearest before `epochMs`. */
export function rssAt(samples: { epoch_ms: number; mib: number }[], epochMs: number): number {
  let best = samples[0]?.mib ?? 0;
  for (const s of samples) if (s.epoch_ms <= epochMs) best = s.mib;
  return best;
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
