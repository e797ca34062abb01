import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ORT_BUILDS } from '../ort-files';

/** The wasm files of the ORT build transformers.js imports (as vite.config.ts finds them), for tests. */
export function ortDir(): string {
  const fromTf = createRequire(createRequire(import.meta.url).resolve('@huggingface/transformers'));
  let dir = dirname(fromTf.resolve('onnxruntime-web'));
  while (!existsSync(join(dir, ORT_BUILDS.cpu.wasm)) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
