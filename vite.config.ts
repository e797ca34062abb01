/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { createRequire } from 'node:module';
import { readFileSync, createReadStream, existsSync, statSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildCsp, CONNECT_SRC_ENV, parseConnectSrc } from './src/runtime/csp';
import { tfjsWasmThreads } from './scripts/vite-tfjs-wasm-threads';
import { ORT_FILES, ORT_PATCHED } from './src/runtime/ort-files';
import { patchOrt } from './src/runtime/ort-qgemm-patch';

// Cross-origin isolation (needed for multithreaded WASM) on the dev and preview servers.
// Static hosts that cannot set headers get the same from the service worker (public/sw.js).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The ONNX Runtime build that @huggingface/transformers actually imports (it pins its own,
 * newer than the top-level onnxruntime-web): its wasm must match its JS glue exactly.
 */
function ortDistDir(): string {
  const req = createRequire(import.meta.url);
  const tfEntry = req.resolve('@huggingface/transformers');
  const fromTf = createRequire(tfEntry);
  // Its package.json is not exported: resolve the entry (in dist/) and take that folder.
  let dir = dirname(fromTf.resolve('onnxruntime-web'));
  while (!ORT_FILES.every((f) => existsSync(join(dir, f))) && dirname(dir) !== dir) dir = dirname(dir);
  if (!ORT_FILES.every((f) => existsSync(join(dir, f)))) throw new Error(`ONNX Runtime wasm not found near ${dir}`);
  return dir;
}


/** ORT's file, or one patched from it (ORT_PATCHED: the FMA SGEMM kernel, the u8 dot-product QGEMM), made once per process. */
const patched = new Map<string, Uint8Array>();
function ortFile(dir: string, f: string): Uint8Array {
  const from = ORT_PATCHED[f];
  if (!from) return readFileSync(join(dir, f));
  let bytes = patched.get(f);
  if (!bytes) patched.set(f, (bytes = patchOrt(readFileSync(join(dir, from.from)), from)));
  return bytes;
}

/** Serves ORT's wasm files at /ort/ in dev and emits them into dist/ort/ at build: same origin, no CDN. */
function ortWasm(): Plugin {
  const dir = ortDistDir();
  const served = [...ORT_FILES, ...Object.keys(ORT_PATCHED)];
  return {
    name: 'lab-ort-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /\/ort\/([\w.-]+)$/.exec((req.url ?? '').split('?')[0]);
        if (!m || !served.includes(m[1])) return next();
        res.setHeader('Content-Type', m[1].endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        for (const [k, v] of Object.entries(isolation)) res.setHeader(k, v);
        if (ORT_PATCHED[m[1]]) {
          const bytes = ortFile(dir, m[1]);
          res.setHeader('Content-Length', String(bytes.length));
          res.end(bytes);
          return;
        }
        const file = join(dir, m[1]);
        res.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(res);
      });
    },
    generateBundle(_opts, bundle) {
      // ORT's bundle also references its wasm through new URL(..., import.meta.url), which Vite
      // copies under assets/ with a hash: 27 MB never used, since wasmPaths points at ort/.
      for (const name of Object.keys(bundle)) {
        if (/^assets\/ort-wasm-simd-threaded.*\.wasm$/.test(name)) delete bundle[name];
      }
      for (const f of served) {
        this.emitFile({ type: 'asset', fileName: `ort/${f}`, source: ortFile(dir, f) });
      }
    },
  };
}

/**
 * Content-Security-Policy (src/runtime/csp.ts): a <meta> in the built index.html, and a header on
 * the preview server (read back from the build, so it is the policy that was built). Workers do
 * not inherit a page's <meta> policy: the header covers them here, and on hosts that cannot set
 * headers the service worker adds it (it finds the policy in precache.json).
 * Deployers add model hosts with LAB_CONNECT_SRC="https://models.example.org" at build time.
 */
const CSP = buildCsp(parseConnectSrc(process.env[CONNECT_SRC_ENV]));

/** The policy a build folder carries: precache.json's `csp`, else the <meta> of its index.html. */
function builtPolicy(outDir: string): string | undefined {
  const manifest = join(outDir, 'precache.json');
  if (existsSync(manifest)) {
    const csp = (JSON.parse(readFileSync(manifest, 'utf8')) as { csp?: string }).csp;
    if (csp) return csp;
  }
  const html = join(outDir, 'index.html');
  if (!existsSync(html)) return undefined;
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/i.exec(readFileSync(html, 'utf8'));
  return m?.[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

function contentSecurityPolicy(): Plugin {
  return {
    name: 'lab-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(_html, ctx) {
        if (ctx.server) return []; // dev server: Vite's HMR client needs inline scripts
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }];
      },
    },
    configurePreviewServer(server) {
      // One source of truth: the policy the build wrote (precache.json, else index.html's <meta>), never
      // LAB_CONNECT_SRC as it happens to be when the preview starts (a header stricter than the build's
      // <meta> blocks model hosts the page believes allowed).
      const out = join(server.config.root, server.config.build.outDir);
      const policy = builtPolicy(out);
      if (policy === undefined) return;
      if (process.env[CONNECT_SRC_ENV] !== undefined && policy !== CSP) {
        server.config.logger.warn(`${CONNECT_SRC_ENV} differs from the build's; the preview sends the policy of ${out} (rebuild to change it)`);
      }
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', policy);
        next();
      });
    },
  };
}

/**
 * Writes precache.json: every file of the build, so the service worker can cache the app shell
 * on install and the lab opens offline after one visit.
 */
function precacheManifest(): Plugin {
  return {
    name: 'lab-precache-manifest',
    apply: 'build',
    generateBundle(_opts, bundle) {
      // ORT's wasm is left out: transformers.js caches it itself (useWasmCache), no need to store it
      // twice. TF.js's wasm (BatchNorm panel) has no cache of its own, so it is precached.
      // parquet-wasm (4.9 MB, only for importing an embeddings index) is cached by the service worker on first use
      // rather than downloaded by every visitor.
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && !/ort-wasm[^/]*\.wasm$/.test(f) && !/parquet[^/]*\.wasm$/i.test(f));
      const publicDir = join(process.cwd(), 'public');
      if (existsSync(join(publicDir, 'favicon.svg'))) files.push('favicon.svg');
      // Bundled data (Fashion-MNIST subset, sample photos) so the no-download demos work offline.
      for (const dir of ['datasets/fashion-mnist', 'samples']) {
        if (!existsSync(join(publicDir, dir))) continue;
        for (const f of readdirSync(join(publicDir, dir))) if (!f.endsWith('.md') && f !== 'COPYRIGHT') files.push(`${dir}/${f}`);
      }
      const version = String(Date.now());
      this.emitFile({
        type: 'asset',
        fileName: 'precache.json',
        source: JSON.stringify({ version, csp: CSP, files: ['./', 'index.html', ...files.filter((f) => f !== 'index.html').sort()] }, null, 1),
      });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), ortWasm(), precacheManifest(), contentSecurityPolicy(), tfjsWasmThreads()],
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173, strictPort: true },
  // TF.js's wasm backend runs in a worker: its threads need the plugin in the worker bundle too.
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, outDir: process.env.LAB_DIST ?? 'dist' },
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
