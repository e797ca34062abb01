/**
 * `cli preprocess --model <model folder> <image> --out <file.f32> [--json]`
 * Writes the model's pixel values for one image as float32 little-endian, CHW, exactly as the
 * browser worker computes them. Exit codes: 0 ok, 1 usage / model config error, 2 bad image.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadPreprocessorConfig, outputShape, preprocess, PreprocessorConfigError } from '../clip/preprocess';
import { decodeImageNode } from '../data/decode-node';
import { ImageInputError } from '../data/image';
import { InputFileError, readRegularFile } from './read-input';

const USAGE = 'usage: cli preprocess --model <model folder> <image> --out <file.f32> [--json]';

interface Args {
  model?: string;
  out?: string;
  image?: string;
  json: boolean;
}

function parse(argv: string[]): Args | string {
  const a: Args = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--model' || v === '--out') {
      const val = argv[++i];
      if (val === undefined) return `${v} needs a value`;
      if (v === '--model') a.model = val;
      else a.out = val;
    } else if (v === '--json') a.json = true;
    else if (v.startsWith('--')) return `unknown option ${v}`;
    else if (a.image === undefined) a.image = v;
    else return `only one image is accepted (got "${a.image}" and "${v}")`;
  }
  if (!a.model) return 'missing --model';
  if (!a.image) return 'missing the image path';
  if (!a.out) return 'missing --out';
  return a;
}

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    console.error(`preprocess: ${args}\n${USAGE}`);
    return 1;
  }
  const cfgPath = join(args.model!, 'preprocessor_config.json');
  let cfg;
  try {
    cfg = loadPreprocessorConfig(new TextDecoder().decode(await readRegularFile(cfgPath, { expected: 'a JSON file', maxBytes: 16 * 1024 * 1024 })));
  } catch (e) {
    const why =
      e instanceof PreprocessorConfigError
        ? e.message.replace(/^preprocessor_config\.json: /, '')
        : e instanceof InputFileError
          ? e.reason
          : 'cannot be read';
    console.error(`preprocess: ${cfgPath}: ${why}`);
    return 1;
  }
  const image = args.image!;
  const fail = (reason: string) => {
    if (args.json) process.stdout.write(JSON.stringify({ file: image, error: reason }) + '\n');
    console.error(`preprocess: ${image}: ${reason}`);
    return 2;
  };
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(image);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file' : e instanceof InputFileError ? e.reason : `cannot be read (${code})`);
  }
  let values: Float32Array;
  let shape: number[];
  try {
    const img = await decodeImageNode(bytes, basename(image));
    values = preprocess(img, cfg);
    shape = outputShape(img, cfg);
  } catch (e) {
    if (e instanceof ImageInputError) return fail(e.reason);
    throw e;
  }
  // Float32Array is platform-endian; write explicitly little-endian.
  const buf = new Uint8Array(values.length * 4);
  const view = new DataView(buf.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  try {
    await writeFile(args.out!, buf);
  } catch (e) {
    console.error(`preprocess: cannot write ${args.out}: ${(e as Error).message}`);
    return 1;
  }
  const summary = { file: image, out: args.out, shape, dtype: 'float32', layout: 'CHW', byteOrder: 'little-endian' };
  if (args.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else console.error(`preprocess: wrote ${args.out} (${shape.join('x')} float32 LE, CHW)`);
  return 0;
}
