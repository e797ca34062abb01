// The bench's own small site (not the app): pages that run the browser measurements in a worker.
// ORT's wasm files are not bundled; bench/server.ts serves them at /ort/ and /ort-tf/.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { ortDirs } from './server';
import { tfjsWasmThreads } from '../scripts/vite-tfjs-wasm-threads';

const root = fileURLToPath(new URL('./pages', import.meta.url));

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  // TF.js's threaded wasm exactly as the lab builds it (same-origin pthread scripts, no blob:).
  plugins: [tfjsWasmThreads()],
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  resolve: {
    // The ORT build transformers.js pins (newer than the top-level one), importable directly so a
    // raw session can be compared with transformers.js on the very same runtime.
    alias: {
      'ort-tf-wasm': `${ortDirs().tf}/ort.wasm.bundle.min.mjs`,
      'ort-tf-webgpu': `${ortDirs().tf}/ort.webgpu.bundle.min.mjs`,
    },
  },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    chunkSizeWarningLimit: 8000,
  },
});
