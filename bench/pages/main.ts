// Bench page: Playwright calls window.bench(cmd, args); each call runs in a fresh worker so
// that wasm state (thread count, heap) never leaks from one measurement into the next.
import { call } from './protocol';

async function bench(cmd: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const worker = new Worker(new URL('./infer-worker.ts', import.meta.url), { type: 'module' });
  try {
    // `timeoutS` (optional): give up on a call that runs too long; terminating the worker stops its work too.
    const t = Number(args.timeoutS ?? 0);
    if (!t) return await call(worker, cmd, args);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, no) => { timer = setTimeout(() => no(new Error(`${cmd}: no answer after ${t} s`)), t * 1000); });
    try {
      return await Promise.race([call(worker, cmd, args), late]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    worker.terminate();
  }
}

Object.assign(window, { bench, benchReady: true });
document.getElementById('status')!.textContent = `ready, crossOriginIsolated=${crossOriginIsolated}`;
