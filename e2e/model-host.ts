/**
 * A tiny model host for the e2e suite: serves the fixture models in the Hugging Face Hub URL layout
 * `/<org>/<name>/resolve/<revision>/<file>` (org `fixtures`), with the CORS and CORP headers a
 * cross-origin-isolated page (COEP require-corp) needs. `setMode('down')` makes every request fail
 * (connection destroyed), `setMode('404')` answers 404, so tests can prove the cache works.
 * Every request is logged (`requests`) so tests can see what was downloaded.
 */
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const FIXTURE_MODELS = ['tiny-random-clip', 'tiny-random-clipseg'];
export type HostMode = 'up' | 'down' | '404';

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

function handle(req: IncomingMessage, res: ServerResponse, mode: HostMode): void {
  if (mode === 'down') {
    req.socket.destroy();
    return;
  }
  cors(res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  const file = mode === '404' ? null : resolveFixture((req.url ?? '/').split('?')[0]);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  const size = statSync(file).size;
  const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(size) });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

export async function startModelHost(port = 0): Promise<ModelHost> {
  let mode: HostMode = 'up';
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handle(req, res, mode);
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const p = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}/`,
    port: p,
    requests,
    setMode: (m) => {
      mode = m;
      if (m === 'down') server.closeAllConnections();
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
