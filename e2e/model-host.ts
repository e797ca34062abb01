/**
 * A tiny model host for the e2e suite: serves the fixture models in the Hugging Face Hub URL layout
 * `/<org>/<name>/resolve/<revision>/<file>` (org `fixtures`), with the CORS and CORP headers a
 * cross-origin-isolated page (COEP require-corp) needs. `setMode('down')` makes every request fail
 * (connection destroyed), `setMode('404')` answers 404, so tests can prove the cache works.
 * Faults for the retry tests: '500' (every request), 'flaky' (the first request of each file
 * answers 500), 'hang' (no answer at all), 'drop' (the first download of each .onnx file is cut
 * off halfway; later ones work), 'drop-always' (every .onnx download is cut off halfway).
 * Range requests (`bytes=N-`) are honoured, as the Hub does, so a dropped download can resume.
 * Every request is logged (`requests`) so tests can see what was downloaded.
 */
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const FIXTURE_MODELS = ['tiny-random-clip', 'tiny-random-clipseg', 'tiny-random-siglip'];
export type HostMode = 'up' | 'down' | '404' | '500' | 'flaky' | 'hang' | 'drop' | 'drop-always';

export interface ModelHost {
  url: string; // with trailing slash
  port: number;
  requests: string[];
  setMode(mode: HostMode): void;
  close(): Promise<void>;
}

function cors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, ETag');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

/** Maps `/fixtures/<name>/resolve/<rev>/<path>` to a file under e2e/fixtures/<name>/, or null. */
export function resolveFixture(urlPath: string): string | null {
  const m = /^\/fixtures\/([\w.-]+)\/resolve\/[\w.-]+\/(.+)$/.exec(decodeURIComponent(urlPath));
  if (!m || !FIXTURE_MODELS.includes(m[1])) return null;
  const root = join(FIXTURES, m[1]);
  const file = normalize(join(root, m[2]));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return null;
  return file;
}

function handle(req: IncomingMessage, res: ServerResponse, mode: HostMode, seen: Map<string, number>): void {
  if (mode === 'down') {
    req.socket.destroy();
    return;
  }
  if (mode === 'hang') return; // never answers
  cors(res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  const path = (req.url ?? '/').split('?')[0];
  const nth = (seen.get(path) ?? 0) + 1;
  seen.set(path, nth);
  if (mode === '500' || (mode === 'flaky' && nth === 1)) {
    res.writeHead(500, 'Internal Server Error', { 'Content-Type': 'text/plain' }).end('boom');
    return;
  }
  const file = mode === '404' ? null : resolveFixture((req.url ?? '/').split('?')[0]);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  const size = statSync(file).size;
  const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (range && (start >= size || end < start)) {
    res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  res.writeHead(range ? 206 : 200, {
    'Content-Type': type,
    'Content-Length': String(end - start + 1),
    'Accept-Ranges': 'bytes',
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD') return void res.end();
  // Size probes (a few bytes) are never cut; whole-file downloads are, in the drop modes.
  const probe = end - start < 1024;
  const cut = !probe && file.endsWith('.onnx') && (mode === 'drop-always' || (mode === 'drop' && (seen.get('cut:' + path) ?? 0) === 0));
  if (!cut) return void createReadStream(file, { start, end }).pipe(res);
  seen.set('cut:' + path, 1);
  // Half the body, then the connection dies (as on a flaky network).
  const half = Math.max(1, Math.floor((end - start + 1) / 2));
  createReadStream(file, { start, end: start + half - 1 })
    .on('end', () => setTimeout(() => res.socket?.destroy(), 50))
    .pipe(res, { end: false });
}

export async function startModelHost(port = 0): Promise<ModelHost> {
  let mode: HostMode = 'up';
  const requests: string[] = [];
  /** requests per path since the last setMode (for the one-off faults) */
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    handle(req, res, mode, seen);
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const p = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}/`,
    port: p,
    requests,
    setMode: (m) => {
      mode = m;
      seen.clear();
      if (m === 'down' || m === 'hang') server.closeAllConnections();
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// `npx tsx e2e/model-host.ts [port]` runs it standalone (handy with `npm run dev`).
if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const port = Number(process.argv[2] ?? 8765);
  startModelHost(port).then((h) => console.log(`model host at ${h.url}fixtures/tiny-random-clip`));
}
