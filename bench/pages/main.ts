// Bench page: Playwright calls window.bench(cmd, args); each call runs in a fresh worker so
// that wasm state (thread count, heap) never leaks from one measurement into the next.
import { call } from './protocol';

async function bench(cmd: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const worker = new Worker(new URL('./infer-worker.ts', import.meta.url), { type: 'module' });
  try {
    return await call(worker, cmd, args);
  } finally {
    worker.terminate();
  }
}

Object.assign(window, { bench, benchReady: true });
document.getElementById('status')!.textContent = `ready, crossOriginIsolated=${crossOriginIsolated}`;
