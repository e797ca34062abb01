/** Node-only: where tfjs-backend-wasm's .wasm binaries lie on disk (the browser serves them instead). */
import { createRequire } from 'node:module';
import path from 'node:path';

export function nodeWasmDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}
