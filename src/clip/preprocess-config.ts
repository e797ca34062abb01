/**
 * The part of a Hugging Face `preprocessor_config.json` that image preprocessing reads, validated
 * and normalised (legacy int sizes, missing keys filled with the processor class's defaults).
 */
import { PilFilter, type PilFilterCode } from './preprocess-resample';

export type ResizeSpec = { kind: 'shortest_edge'; shortestEdge: number } | { kind: 'exact'; height: number; width: number };

export interface PreprocessorConfig {
  /** e.g. CLIPImageProcessor, ViTImageProcessor */
  processorType: string;
  doConvertRgb: boolean;
  doResize: boolean;
  size: ResizeSpec;
  resample: PilFilterCode;
  doCenterCrop: boolean;
  cropSize: { height: number; width: number };
  doRescale: boolean;
  rescaleFactor: number;
  doNormalize: boolean;
  imageMean: [number, number, number];
  imageStd: [number, number, number];
}

const OPENAI_CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];
const IMAGENET_STANDARD: [number, number, number] = [0.5, 0.5, 0.5];

/** Class defaults from transformers' image_processing_clip.py / image_processing_vit.py. */
interface Defaults {
  sizeIntIsShortestEdge: boolean;
  size: ResizeSpec;
  resample: PilFilterCode;
  doCenterCrop: boolean;
  cropSize: number;
  mean: [number, number, number];
  std: [number, number, number];
}
const CLIP_DEFAULTS: Defaults = {
  sizeIntIsShortestEdge: true,
  size: { kind: 'shortest_edge', shortestEdge: 224 },
  resample: PilFilter.BICUBIC,
  doCenterCrop: true,
  cropSize: 224,
  mean: OPENAI_CLIP_MEAN,
  std: OPENAI_CLIP_STD,
};
const VIT_DEFAULTS: Defaults = {
  sizeIntIsShortestEdge: false,
  size: { kind: 'exact', height: 224, width: 224 },
  resample: PilFilter.BILINEAR,
  doCenterCrop: false,
  cropSize: 224,
  mean: IMAGENET_STANDARD,
  std: IMAGENET_STANDARD,
};
/** SiglipImageProcessor: resize to the square size (no crop, aspect not kept), bicubic, mean/std 0.5. */
const SIGLIP_DEFAULTS: Defaults = { ...VIT_DEFAULTS, resample: PilFilter.BICUBIC };
const DEFAULTS_BY_TYPE: Record<string, Defaults> = {
  CLIPImageProcessor: CLIP_DEFAULTS,
  CLIPFeatureExtractor: CLIP_DEFAULTS,
  ViTImageProcessor: VIT_DEFAULTS,
  ViTFeatureExtractor: VIT_DEFAULTS,
  SiglipImageProcessor: SIGLIP_DEFAULTS,
};

export class PreprocessorConfigError extends Error {
  constructor(message: string) {
    super(`preprocessor_config.json: ${message}`);
    this.name = 'PreprocessorConfigError';
  }
}

/** Largest resize / crop side accepted: 16384 px (a 16384² float32 CHW tensor is already 3 GB). */
export const MAX_SIDE = 16384;

function posInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new PreprocessorConfigError(`${what} must be a whole number of pixels (1 to ${MAX_SIDE}), got ${JSON.stringify(v) ?? 'nothing'}`);
  }
  if (v < 1) throw new PreprocessorConfigError(`${what} must be at least 1 pixel, got ${v}`);
  if (v > MAX_SIDE) throw new PreprocessorConfigError(`${what} is ${v}, over the ${MAX_SIDE}-pixel cap`);
  return v;
}

function bool(v: unknown, fallback: boolean, what: string): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new PreprocessorConfigError(`${what} must be true or false`);
  return v;
}

function triple(v: unknown, fallback: [number, number, number], what: string, positive: boolean): [number, number, number] {
  if (v === undefined || v === null) return fallback;
  const arr = typeof v === 'number' ? [v, v, v] : v;
  if (!Array.isArray(arr) || arr.length !== 3 || !arr.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new PreprocessorConfigError(`${what} must be 3 numbers, got ${JSON.stringify(v)}`);
  }
  if (positive && arr.some((x) => x <= 0)) throw new PreprocessorConfigError(`${what} must be > 0`);
  return [arr[0], arr[1], arr[2]];
}

function parseSize(v: unknown, d: Defaults): ResizeSpec {
  if (v === undefined || v === null) return d.size;
  if (typeof v === 'number') {
    const s = posInt(v, 'size');
    return d.sizeIntIsShortestEdge ? { kind: 'shortest_edge', shortestEdge: s } : { kind: 'exact', height: s, width: s };
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('shortest_edge' in o) {
      if (o.longest_edge !== undefined && o.longest_edge !== null) {
        throw new PreprocessorConfigError('size.longest_edge is not supported');
      }
      return { kind: 'shortest_edge', shortestEdge: posInt(o.shortest_edge, 'size.shortest_edge') };
    }
    if ('height' in o || 'width' in o) {
      return { kind: 'exact', height: posInt(o.height, 'size.height'), width: posInt(o.width, 'size.width') };
    }
  }
  throw new PreprocessorConfigError(`unsupported size ${JSON.stringify(v)} (expected shortest_edge or height/width)`);
}

function parseCrop(v: unknown, d: Defaults): { height: number; width: number } {
  if (v === undefined || v === null) return { height: d.cropSize, width: d.cropSize };
  if (typeof v === 'number') {
    const s = posInt(v, 'crop_size');
    return { height: s, width: s };
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new PreprocessorConfigError(`crop_size must be a number or {"height", "width"}, got ${JSON.stringify(v)}`);
  }
  const o = v as Record<string, unknown>;
  return { height: posInt(o.height, 'crop_size.height'), width: posInt(o.width, 'crop_size.width') };
}

/** Validate a parsed preprocessor_config.json (object or JSON text). Throws PreprocessorConfigError. */
export function loadPreprocessorConfig(json: unknown): PreprocessorConfig {
  let raw = json;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch (e) {
      throw new PreprocessorConfigError(`not valid JSON (${(e as Error).message})`);
    }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PreprocessorConfigError('expected a JSON object');
  const o = raw as Record<string, unknown>;
  const type = String(o.image_processor_type ?? o.feature_extractor_type ?? '');
  const d = DEFAULTS_BY_TYPE[type];
  if (!d) {
    throw new PreprocessorConfigError(
      `unsupported image processor "${type || '(missing)'}" (supported: ${Object.keys(DEFAULTS_BY_TYPE).join(', ')})`,
    );
  }
  const resample = o.resample ?? d.resample;
  if (typeof resample !== 'number' || !Number.isInteger(resample) || resample < 0 || resample > 5) {
    throw new PreprocessorConfigError(`resample must be a PIL filter code 0..5, got ${JSON.stringify(resample)}`);
  }
  const rescaleFactor = o.rescale_factor ?? 1 / 255;
  if (typeof rescaleFactor !== 'number' || !Number.isFinite(rescaleFactor)) {
    throw new PreprocessorConfigError('rescale_factor must be a number');
  }
  const noCrop = d === VIT_DEFAULTS || d === SIGLIP_DEFAULTS;
  return {
    processorType: type.replace('FeatureExtractor', 'ImageProcessor'),
    doConvertRgb: bool(o.do_convert_rgb, true, 'do_convert_rgb'),
    doResize: bool(o.do_resize, true, 'do_resize'),
    size: parseSize(o.size, d),
    resample: resample as PilFilterCode,
    // ViT's and SigLIP's processors have no center-crop step whatever the JSON says.
    doCenterCrop: noCrop ? false : bool(o.do_center_crop, d.doCenterCrop, 'do_center_crop'),
    cropSize: parseCrop(o.crop_size, d),
    doRescale: bool(o.do_rescale, true, 'do_rescale'),
    rescaleFactor,
    doNormalize: bool(o.do_normalize, true, 'do_normalize'),
    imageMean: triple(o.image_mean, d.mean, 'image_mean', false),
    imageStd: triple(o.image_std, d.std, 'image_std', true),
  };
}
