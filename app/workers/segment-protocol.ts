/** The CLIPSeg worker's API: the types app/workers/segment.worker.ts implements and segment-client.ts calls. */
import type { LoadedInfo, LoadRequest, ModelLoaderApi } from '../../src/runtime/model-protocol';

export type { LoadRequest };

/** CLIPSeg reports nothing beyond what every model does */
export type LoadedSegModel = LoadedInfo;

export interface SegImageInfo {
  name: string;
  /** size after EXIF orientation: the size of every exported map */
  width: number;
  height: number;
  /** the decoded image as the model saw it (before resizing), for the canvas */
  bitmap: ImageBitmap;
}

export type SegView = 'heatmap' | 'mask' | 'labels';

export interface RenderLayer {
  prompt: string;
  /** [r, g, b] 0..255 */
  color: [number, number, number];
}

export interface RenderRequest {
  /** drawn in this order; in the labels view the earlier prompt wins ties */
  layers: RenderLayer[];
  view: SegView;
  threshold: number;
  /** 0..1 */
  opacity: number;
}

export interface SegmentRun {
  /** prompts actually sent to the model (the others came from the cache) */
  computed: string[];
  seconds: number;
  /** prompts cut at 77 tokens */
  truncated: string[];
}

export interface SegmentWorkerApi extends ModelLoaderApi<LoadedSegModel> {
  /** decode (EXIF applied) + preprocess; clears the cached logits of the previous image */
  setImage(file: Blob, name: string): Promise<SegImageInfo>;
  /** runs the prompts not cached yet for this image and model, in one batch */
  segment(prompts: string[]): Promise<SegmentRun>;
  /** overlay RGBA at the image's size (transparent where nothing is drawn) */
  render(req: RenderRequest): Promise<ImageBitmap>;
  /** every prompt's probability at image pixel (x, y) */
  probabilitiesAt(prompts: string[], x: number, y: number): Promise<number[]>;
  /** 8-bit gray PNG at the image's size: one prompt's mask (0/255), or the labels view (prompt index + 1, 0 = background) */
  maskPng(req: { prompts: string[]; threshold: number; kind: 'mask' | 'labels' }): Promise<Uint8Array>;
  /** the image with the overlay drawn on it, PNG */
  overlayPng(req: RenderRequest): Promise<Blob>;
  /**
   * Live segmentation: one camera frame (transferred, closed here) through the same preprocessing and
   * model as an image, rendered with `req` at the frame's size. The panel's image is left alone.
   */
  segmentFrame(frame: ImageBitmap, prompts: string[], req: RenderRequest): Promise<{ overlay: ImageBitmap; width: number; height: number; ms: number }>;
  /** the last frame segmentFrame saw, as a lossless PNG (null before any) */
  liveFramePng(): Promise<Blob | null>;
  /** float32 little-endian [prompts, 352, 352]: sigmoid of the logits, or the logits themselves */
  rawMaps(prompts: string[], kind: 'probabilities' | 'logits'): Promise<Float32Array>;
}
