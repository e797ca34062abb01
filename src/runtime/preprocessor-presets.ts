/**
 * The `preprocessor_config.json` of OpenAI CLIP (ViT-B/32, B/16, L/14 all share it) and of CLIPSeg
 * (CIDAS/clipseg-rd64-refined), for preprocessing without a model loaded (window.__lab.preprocess).
 */
export const CLIP_PREPROCESSOR = {
  image_processor_type: 'CLIPImageProcessor',
  do_convert_rgb: true,
  do_resize: true,
  size: { shortest_edge: 224 },
  resample: 3,
  do_center_crop: true,
  crop_size: { height: 224, width: 224 },
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
} as const;

export const CLIPSEG_PREPROCESSOR = {
  image_processor_type: 'ViTImageProcessor',
  do_resize: true,
  size: { height: 352, width: 352 },
  resample: 2,
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.485, 0.456, 0.406],
  image_std: [0.229, 0.224, 0.225],
} as const;

export type PreprocessKind = 'clip' | 'clipseg';
export const PREPROCESSORS: Record<PreprocessKind, object> = { clip: CLIP_PREPROCESSOR, clipseg: CLIPSEG_PREPROCESSOR };
