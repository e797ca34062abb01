/**
 * CLIPSeg over @huggingface/transformers: N text prompts against ONE preprocessed image, giving
 * logits [N, 352, 352]. Preprocessing is not done here (transformers.js's is not faithful to the
 * reference): callers pass pixel values [3, 352, 352] from the shared preprocessing code.
 */
import {
  AutoTokenizer,
  CLIPSegForImageSegmentation,
  ImageProcessor,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { tokenizeClip } from '../models/clip/tokenize';
import { pretrainedId, sourceLabel, sourceRevision, withModelSource, type ModelSource } from '../runtime/model-source';

export const DEFAULT_CLIPSEG_MODEL = 'Xenova/clipseg-rd64-refined';
export const CLIPSEG_SIZE = 352;

export type SegDtype = 'fp32' | 'fp16' | 'q8';
export const SEG_DTYPES: readonly SegDtype[] = ['fp32', 'fp16', 'q8'];
/** 'cpu' is onnxruntime-node; 'wasm' and 'webgpu' are onnxruntime-web in browsers. */
export type SegDevice = 'cpu' | 'wasm' | 'webgpu';

export interface ClipSegLoadOptions {
  dtype?: SegDtype;
  /** library default when unset */
  device?: SegDevice;
  /** transformers.js progress events (initiate, download, progress, done, ready) */
  onProgress?: (event: unknown) => void;
  /** aborts the downloads */
  signal?: AbortSignal;
}

export interface ClipSeg {
  label: string;
  dtype: SegDtype;
  device: SegDevice | undefined;
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  /** the model's `preprocessor_config.json` as parsed JSON (for src/clip/preprocess.ts) */
  preprocessorConfig: Record<string, unknown>;
}

/** Tokenizer, CLIPSeg graph and preprocessor config, through the same model sources as CLIP. */
export async function loadClipSeg(
  source: ModelSource = { kind: 'hub', id: DEFAULT_CLIPSEG_MODEL },
  opts: ClipSegLoadOptions = {},
): Promise<ClipSeg> {
  const dtype = opts.dtype ?? 'fp32';
  const device = opts.device;
  const id = pretrainedId(source);
  const common = { revision: sourceRevision(source), progress_callback: opts.onProgress };
  const { tokenizer, model, pre } = await withModelSource(
    source,
    async () => {
      const [tokenizer, model, pre] = await Promise.all([
        AutoTokenizer.from_pretrained(id, common),
        CLIPSegForImageSegmentation.from_pretrained(id, { ...common, dtype, ...(device ? { device } : {}) }),
        ImageProcessor.from_pretrained(id, common),
      ]);
      return { tokenizer, model, pre };
    },
    opts.signal,
  );
  const preprocessorConfig = pre.config as Record<string, unknown>;
  return { label: sourceLabel(source), dtype, device, tokenizer, model, preprocessorConfig };
}

/**
 * Token ids and mask as CLIPSegProcessor makes them: padded to the longest prompt, cut to 77
 * tokens keeping the end-of-text token (the text is pooled there). `truncated` flags cut prompts.
 */
export function tokenizePrompts(
  seg: ClipSeg,
  prompts: readonly string[],
): { input_ids: Tensor; attention_mask: Tensor; truncated: boolean[] } {
  const t = tokenizeClip(seg.tokenizer, prompts, 'longest');
  const dims = [t.count, t.length];
  return {
    input_ids: new Tensor('int64', t.inputIds, dims),
    attention_mask: new Tensor('int64', t.attentionMask, dims),
    truncated: t.truncated,
  };
}

/**
 * Logits for every prompt against one image, float32 [prompts, 352, 352] in prompt order.
 * The exported graph broadcasts a batch-1 image over N prompts (transformers.js documents this
 * for Xenova/clipseg-rd64-refined; measured equal to the repeated batch on the fixture), so the
 * vision encoder runs once. A graph that refuses that gets the image repeated per prompt.
 */
export async function segmentLogits(
  seg: ClipSeg,
  prompts: readonly string[],
  pixelValues: Float32Array,
): Promise<Float32Array> {
  if (prompts.length === 0) throw new Error('no prompts: give at least one');
  const plane = 3 * CLIPSEG_SIZE * CLIPSEG_SIZE;
  if (pixelValues.length !== plane) {
    throw new RangeError(`pixel values must be [3, ${CLIPSEG_SIZE}, ${CLIPSEG_SIZE}] (${plane}), got ${pixelValues.length}`);
  }
  const { input_ids, attention_mask } = tokenizePrompts(seg, prompts);
  const run = async (batch: number): Promise<Float32Array> => {
    let data = pixelValues;
    if (batch > 1) {
      data = new Float32Array(plane * batch);
      for (let b = 0; b < batch; b++) data.set(pixelValues, b * plane);
    }
    const pixel_values = new Tensor('float32', data, [batch, 3, CLIPSEG_SIZE, CLIPSEG_SIZE]);
    const out = (await seg.model({ input_ids, attention_mask, pixel_values })) as { logits: Tensor };
    return checkLogits(out.logits, prompts.length);
  };
  try {
    return await run(1);
  } catch (err) {
    if (prompts.length === 1) throw err;
    // Not a broadcasting graph? Retry with the image repeated; if that fails too, report the first error.
    return run(prompts.length).catch(() => {
      throw err;
    });
  }
}

function checkLogits(logits: Tensor, prompts: number): Float32Array {
  const want = prompts * CLIPSEG_SIZE * CLIPSEG_SIZE;
  // A single prompt may come back as [352, 352]; only the element count and dtype matter.
  if (logits.type !== 'float32' || logits.data.length !== want) {
    throw new Error(`model returned logits ${logits.type} [${logits.dims.join(', ')}], expected float32 [${prompts}, ${CLIPSEG_SIZE}, ${CLIPSEG_SIZE}]`);
  }
  return logits.data as Float32Array;
}
