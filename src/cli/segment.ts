/**
 * `segment --model <folder or hub id> --prompt "<text>" [--prompt ...] <image>
 *   [--logits-out <file.f32>] [--mask-out <file.png>] [--threshold 0.5] [--dtype fp32|fp16|q8] [--json]`
 *
 * Exit codes: 0 done, 1 fatal (bad arguments, model not loadable, inference or write failed),
 * 2 the image could not be read or decoded.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { ModelSource } from '../runtime/model-source';
import { parseModelArg } from './model-arg';
import { InputFileError, readRegularFile } from './read-input';
import type { SegDtype } from '../segment/clipseg';

const USAGE =
  'usage: segment --model <folder, hub id or http://host/org/name> --prompt "<text>" [--prompt ...] <image> ' +
  '[--logits-out <file.f32>] [--mask-out <file.png>] [--threshold 0.5] [--dtype fp32|fp16|q8] [--json]';

const DTYPES: readonly SegDtype[] = ['fp32', 'fp16', 'q8'];

export interface SegmentArgs {
  model: string;
  prompts: string[];
  image: string;
  logitsOut?: string;
  maskOut?: string;
  threshold: number;
  dtype: SegDtype;
  json: boolean;
}

class UsageError extends Error {}

/** Parses argv (after the command name). Throws UsageError with a message for the user. */
export function parseSegmentArgs(argv: readonly string[]): SegmentArgs {
  const prompts: string[] = [];
  const positional: string[] = [];
  let model: string | undefined;
  let logitsOut: string | undefined;
  let maskOut: string | undefined;
  let threshold = 0.5;
  let dtype: SegDtype = 'fp32';
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--model':
        model = value();
        break;
      case '--prompt':
        prompts.push(value());
        break;
      case '--logits-out':
        logitsOut = value();
        break;
      case '--mask-out':
        maskOut = value();
        break;
      case '--threshold': {
        const v = value();
        threshold = Number(v);
        if (v.trim() === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
          throw new UsageError(`--threshold must be a number from 0 to 1, got "${v}"`);
        }
        break;
      }
      case '--dtype': {
        const v = value();
        if (!DTYPES.includes(v as SegDtype)) throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}, got "${v}"`);
        dtype = v as SegDtype;
        break;
      }
      case '--json':
        json = true;
        break;
      default:
        if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (!model) throw new UsageError('--model is required (a model folder or a hub id such as Xenova/clipseg-rd64-refined)');
  if (prompts.length === 0) throw new UsageError('give at least one --prompt');
  if (prompts.some((p) => p.trim() === '')) throw new UsageError('a --prompt is empty');
  if (positional.length !== 1) {
    throw new UsageError(positional.length === 0 ? 'no image given' : `one image expected, got ${positional.length}: ${positional.join(' ')}`);
  }
  return { model, prompts, image: positional[0], logitsOut, maskOut, threshold, dtype, json };
}

function float32LE(values: Float32Array): Uint8Array {
  if (endianness() === 'LE') return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

const ONNX_FILE: Record<SegDtype, string> = { fp32: 'onnx/model.onnx', fp16: 'onnx/model_fp16.onnx', q8: 'onnx/model_quantized.onnx' };

/** Files a local CLIPSeg folder needs for this dtype that are not there (transformers.js's own error is cryptic). */
function missingModelFiles(folder: string, dtype: SegDtype): string[] {
  const need = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json', ONNX_FILE[dtype]];
  return need.filter((f) => !existsSync(join(folder, f)));
}

const FS_REASONS: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'is a folder', EACCES: 'permission denied' };

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function run(argv: string[]): Promise<number> {
  // Library logs (onnxruntime, transformers.js) must never mix into stdout (the JSON summary).
  console.log = console.info = console.warn = (...a: unknown[]) => console.error(...a);

  let args: SegmentArgs;
  let source: ModelSource;
  try {
    args = parseSegmentArgs(argv);
    const parsed = parseModelArg(args.model);
    if ('error' in parsed) throw new UsageError(parsed.error);
    source = parsed;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`segment: ${err.message}\n${USAGE}`);
    return 1;
  }

  if (source.kind === 'path') {
    const missing = missingModelFiles(source.path, args.dtype);
    if (missing.length > 0) {
      console.error(`segment: model ${args.model} (${args.dtype}): not a CLIPSeg model folder, missing ${missing.join(', ')}`);
      return 1;
    }
  }

  const { decodeImageNode } = await import('../data/decode-node');
  const { ImageInputError } = await import('../data/image');
  let image;
  try {
    image = await decodeImageNode(await readRegularFile(args.image), args.image);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = (code && FS_REASONS[code]) ?? (err instanceof InputFileError ? err.reason : (code ?? reason(err)));
    const msg = err instanceof ImageInputError ? err.message : `${args.image}: cannot read the image (${why})`;
    console.error(`segment: ${msg}`);
    return 2;
  }

  const { loadClipSeg, segmentLogits, CLIPSEG_SIZE } = await import('../segment/clipseg');
  const { loadPreprocessorConfig, preprocess, outputShape } = await import('../clip/preprocess');
  const { probabilityMap, thresholdMask, coverage } = await import('../segment/masks');
  const { encodeGrayPng } = await import('../segment/png-encode');

  let logits: Float32Array;
  try {
    const seg = await loadClipSeg(source, { dtype: args.dtype, device: 'cpu' });
    const cfg = loadPreprocessorConfig(seg.preprocessorConfig);
    const [, h, w] = outputShape(image, cfg);
    if (h !== CLIPSEG_SIZE || w !== CLIPSEG_SIZE) {
      throw new Error(`preprocessor_config.json resizes to ${w}x${h}, CLIPSeg needs ${CLIPSEG_SIZE}x${CLIPSEG_SIZE}`);
    }
    logits = await segmentLogits(seg, args.prompts, preprocess(image, cfg));
  } catch (err) {
    console.error(`segment: model ${args.model} (${args.dtype}): ${reason(err)}`);
    return 1;
  }

  const { width, height } = image;
  const prompts = args.prompts.map((prompt, k) => {
    const mask = thresholdMask(probabilityMap(logits, k, width, height, CLIPSEG_SIZE), args.threshold);
    return { prompt, coverage: coverage(mask), mask: k === 0 ? mask : undefined };
  });

  try {
    if (args.logitsOut) await writeFile(args.logitsOut, float32LE(logits));
    if (args.maskOut) await writeFile(args.maskOut, encodeGrayPng(prompts[0].mask!, width, height));
  } catch (err) {
    console.error(`segment: cannot write output: ${reason(err)}`);
    return 1;
  }

  if (args.json) {
    const summary = { image: args.image, width, height, prompts: prompts.map(({ prompt, coverage }) => ({ prompt, coverage })) };
    process.stdout.write(JSON.stringify(summary) + '\n');
  } else {
    const lines = [`${args.image}: ${width}x${height}, threshold ${args.threshold}, ${args.dtype}`];
    for (const p of prompts) lines.push(`  ${(p.coverage * 100).toFixed(2).padStart(6)}%  ${p.prompt}`);
    if (args.logitsOut) lines.push(`logits [${args.prompts.length}, ${CLIPSEG_SIZE}, ${CLIPSEG_SIZE}] -> ${args.logitsOut}`);
    if (args.maskOut) lines.push(`mask of "${args.prompts[0]}" -> ${args.maskOut}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}
