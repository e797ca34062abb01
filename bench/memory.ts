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
