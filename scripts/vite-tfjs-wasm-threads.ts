/**
 * Multithreaded TF.js WASM under the site's CSP (script-src 'self' 'wasm-unsafe-eval', no blob:).
 *
 * tfjs-backend-wasm 4.x starts its pthread workers from two blob: URLs: the Emscripten pthread worker
 * (`wasmWorkerContents`, a string) and the threaded glue, rebuilt as `factory.toString()` and loaded by that
 * worker with importScripts(). Both break in a built site: importScripts(blob:) is refused by script-src
 * 'self', and once the bundler has minified the glue, the factory's source refers to names outside itself
 * ("e is not defined" in every pthread worker), so `tf.setBackend('wasm')` waits forever.
 *
 * This plugin serves both as same-origin files instead: the package's own unbundled glue
 * (`wasm-out/tfjs-backend-wasm-threaded-simd.js`, a classic script that defines
 * `WasmBackendModuleThreadedSimd`, exactly what the pthread worker expects) and the worker string written out
 * to a file. A `transform` of the backend's `dist/backend_wasm.js` replaces the two blob: URLs with those
 * files' URLs (Vite `?url` imports, so they are hashed, emitted next to the other assets and land in
 * precache.json). Build only: the dev server pre-bundles the package unminified, where the blob: path works
 * and no CSP is set. Add it to `plugins` AND `worker.plugins` (the backend is bundled into a worker).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const GLUE = 'tfjs-backend-wasm-threaded-simd.js';
const WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';

/** The two scripts a pthread worker needs, as files on disk (the worker one generated under `cacheDir`). */
function scriptFiles(cacheDir: string): { glue: string; worker: string } {
  const req = createRequire(import.meta.url);
  const wasmOut = join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const { wasmWorkerContents } = req(join(wasmOut, WORKER)) as { wasmWorkerContents: string };
  mkdirSync(cacheDir, { recursive: true });
  const worker = join(cacheDir, WORKER);
  // The same escaping TF.js applies before making its Blob (its template literal turned "\n" into newlines).
  writeFileSync(worker, wasmWorkerContents.replace(/\n/g, '\\n'));
  return { glue: join(wasmOut, GLUE), worker };
}

/** Exact snippets of tfjs-backend-wasm 4.22's dist/backend_wasm.js that are rewritten (checked: a change fails the build). */
const WORKER_BLOB = /if \(path\.endsWith\('\.worker\.js'\)\) \{[\s\S]*?return URL\.createObjectURL\(blob\);\s*\}/;
const GLUE_BLOB = /factoryConfig\.mainScriptUrlOrBlob = new Blob\(\[[\s\S]*?\{ type: 'text\/javascript' \}\);/;

export function tfjsWasmThreads(cacheDir = join(process.cwd(), '.cache', 'tfjs-wasm')): Plugin {
  let files: { glue: string; worker: string } | undefined;
  return {
    name: 'lab-tfjs-wasm-threads',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/.test(id.split('?')[0])) return null;
      if (!WORKER_BLOB.test(code) || !GLUE_BLOB.test(code)) {
        this.error(`${id}: the pthread blob: URLs were not found (tfjs-backend-wasm changed?); update scripts/vite-tfjs-wasm-threads.ts`);
      }
      files ??= scriptFiles(cacheDir);
      // Absolute URLs: importScripts() in the pthread worker resolves against that worker's own URL.
      const abs = (v: string) => `new URL(${v}, self.location.href).href`;
      return {
        code:
          `import __labPthreadWorkerUrl from ${JSON.stringify(`${files.worker}?url&no-inline`)};\n` +
          `import __labThreadedGlueUrl from ${JSON.stringify(`${files.glue}?url&no-inline`)};\n` +
          code
            .replace(WORKER_BLOB, `if (path.endsWith('.worker.js')) { return ${abs('__labPthreadWorkerUrl')}; }`)
            .replace(GLUE_BLOB, `factoryConfig.mainScriptUrlOrBlob = ${abs('__labThreadedGlueUrl')};`),
        map: null,
      };
    },
  };
}
