/** CLIP's scoring, as plain data (no transformers.js import: the UI thread and light workers read it). */
import type { Scoring } from '../scoring';

/**
 * The logit scale of OpenAI's trained CLIP models: exp(4.6052) = 100.003 (the reference multiplies
 * by exactly this; golden logits_per_image use it). It is a trained parameter that the ONNX split
 * models do not carry. `logit_scale_init_value` in config.json (2.6592 for real models) is the value
 * BEFORE training and must never be used as the scale.
 */
export const CLIP_LOGIT_SCALE = Math.exp(4.6052);
export const CLIP_SCORING: Scoring = { kind: 'softmax', scale: CLIP_LOGIT_SCALE, bias: 0 };
