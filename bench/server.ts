// Tiny static server for the browser bench: the built pages, ONNX Runtime's wasm files and the
// models in the Hub's URL layout, all same-origin and cross-origin isolated (threads need it).
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { ORT_PATCHED } from '../src/runtime/ort-files';
import { patchOrt } from '../src/runtime/ort-qgemm-patch';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.jpg': 'image/jpeg', '.png': 'image/png', '.txt': 'text/plain',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.gz': 'application/gzip', '.bin': 'application/octet-stream',
};

/** dist/ folders of both ONNX Runtime Web builds: the top-level one and the one transformers.js pins. */
export function ortDirs(): { top: string; tf: string } {
  const req = createRequire(import.meta.url);
  // './wasm' resolves (require condition) to dist/ort.wasm.min.js in both packages.
  const top = dirname(req.resolve('onnxruntime-web/wasm'));
  const tfReq = createRequire(req.resolve('@huggingface/transformers'));
  const tf = dirname(tfReq.resolve('onnxruntime-web/wasm'));
  return { top, tf };
}

export interface BenchServer { url: string; close(): Promise<void>; bytesServed(): number }

/**
 * Routes: /ort/* → the ORT build transformers.js pins (as the app serves it), /ort-top/* → the
 * top-level onnxruntime-web; /hub/bench/<name>/resolve/main/<file> →
 * models[name]/<file>; /files/<name> → files[name]; /app/* → `appDir` (the lab itself, built by
 * `vite build` into bench/dist-app/, served like `vite preview`: COOP/COEP); everything else → distDir.
 * Range requests (`bytes=N-M`, transformers.js probes sizes with `bytes=0-0`) are honoured as the Hub does.
 * No caching headers: every run downloads cold.
 */
export async function startServer(distDir: string, models: Record<string, string>,
  files: Record<string, string> = {}, appDir?: string): Promise<BenchServer> {
  const ort = ortDirs();
  // The patched builds the lab's workers load where relaxed SIMD exists (ORT_PATCHED), made as the app's build makes them.
  const patchedDir = join(distDir, 'ort-patched');
  mkdirSync(patchedDir, { recursive: true });
  for (const [f, spec] of Object.entries(ORT_PATCHED)) writeFileSync(join(patchedDir, f), patchOrt(readFileSync(join(ort.tf, spec.from)), spec));
  let served = 0;
  // The lab's Content-Security-Policy as `vite preview` sends it (read back from its build).
  const manifest = appDir ? join(appDir, 'precache.json') : '';
  const appCsp = manifest && existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { csp?: string }).csp : undefined;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    let file: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^\/ort\/([\w.-]+)$/.exec(path))) file = ORT_PATCHED[m[1]] ? join(patchedDir, m[1]) : join(ort.tf, m[1]);
    else if ((m = /^\/ort-top\/([\w.-]+)$/.exec(path))) file = join(ort.top, m[1]);
    else if ((m = /^\/hub\/bench\/([\w.-]+)\/resolve\/[\w.-]+\/(.+)$/.exec(path)) && models[m[1]]) {
      file = join(models[m[1]], normalize(m[2]).replace(/^(\.\.[/\\])+/, ''));
    } else if ((m = /^\/files\/([\w.-]+)$/.exec(path)) && files[m[1]]) file = files[m[1]];
    else if (appDir && (m = /^\/app(\/.*)?$/.exec(path))) {
      const rest = !m[1] || m[1].endsWith('/') ? `${m[1] ?? '/'}index.html` : m[1];
      file = join(appDir, normalize(rest).replace(/^(\.\.[/\\])+/, ''));
    } else file = join(distDir, normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, ''));
    const headers: Record<string, string> = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      ...(appCsp && path.startsWith('/app') ? { 'Content-Security-Policy': appCsp } : {}),
    };
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers).end(`not found: ${path}`);
      return;
    }
    const size = statSync(file).size;
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size || end < start) {
        res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      served += end - start + 1;
      res.writeHead(206, { ...headers, 'Content-Type': type, 'Content-Length': String(end - start + 1),
        'Content-Range': `bytes ${start}-${end}/${size}`, 'Accept-Ranges': 'bytes' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file, { start, end }).pipe(res);
      return;
    }
    served += size;
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(size), 'Accept-Ranges': 'bytes' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://localhost:${port}`,
    bytesServed: () => served,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

export const benchDir = dirname(new URL(import.meta.url).pathname);
export const repoDir = resolve(benchDir, '..');
