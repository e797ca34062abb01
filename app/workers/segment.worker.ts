/**
 * The CLIPSeg worker: loads the model, decodes + preprocesses ONE image, runs prompts against it
 * (batched, each prompt's logits cached so a new prompt runs alone), and renders overlays and
 * exports at the image's own size. Nothing heavy runs on the main thread.
 */
import * as Comlink from 'comlink';
import { loadClipSeg, segmentLogits, tokenizePrompts, CLIPSEG_SIZE, type ClipSeg } from '../../src/segment/clipseg';
import { labelMap, probabilitiesAt, probabilityMap, sigmoidInPlace, thresholdMask } from '../../src/segment/masks';
import { encodeGrayPng } from '../../src/segment/png-encode';
import { loadPreprocessorConfig, outputShape, preprocess, type PreprocessorConfig } from '../../src/clip/preprocess';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { ImageInputError, type RgbImage } from '../../src/data/image';
import { GPU_LOST_TAG } from '../../src/runtime/gpu-lost';
import { checkPixels, modelLoader, probeWorker, trackedLoad, type GpuSelfCheck, type LoadWith } from './model-load';
import type { LoadedSegModel, RenderRequest, SegmentWorkerApi } from './segment-protocol';
import { frameToRgb, rgbaToPng } from './live-frame';

interface Loaded {
  seg: ClipSeg;
  info: LoadedSegModel;
  cfg: PreprocessorConfig;
}
interface Current {
  name: string;
  img: RgbImage;
  /** preprocessed with the loaded model's config; null until a model is loaded */
  pixels: Float32Array | null;
}

let model: Loaded | null = null;
/** the last live frame segmented (for pause-on-frame) */
let liveFrame: ReturnType<typeof frameToRgb> | null = null;
let image: Current | null = null;
/** per prompt, for the current (model, image): 352x352 logits and the full-size probabilities */
const logits = new Map<string, Float32Array>();
const probs = new Map<string, Float32Array>();

function message(e: unknown): string {
  if (e instanceof ImageInputError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

function clearMaps(): void {
  logits.clear();
  probs.clear();
}

function pixelsFor(cur: Current, m: Loaded): Float32Array {
  if (!cur.pixels) {
    const [, h, w] = outputShape(cur.img, m.cfg);
    if (h !== CLIPSEG_SIZE || w !== CLIPSEG_SIZE) {
      throw new Error(`the model's preprocessor_config.json resizes to ${w}x${h}; CLIPSeg needs ${CLIPSEG_SIZE}x${CLIPSEG_SIZE}`);
    }
    cur.pixels = preprocess(cur.img, m.cfg);
  }
  return cur.pixels;
}

const loadWith: LoadWith<Loaded> = async (req, choice, onProgress, signal) => {
  const { model: seg, info } = await trackedLoad(choice, onProgress, (onEvent) =>
    loadClipSeg(req.source, { device: choice.device, dtype: choice.dtype, signal, onProgress: onEvent }),
  );
  return { seg, info, cfg: loadPreprocessorConfig(seg.preprocessorConfig) };
};

async function dispose(): Promise<void> {
  const old = model;
  model = null;
  clearMaps();
  if (image) image.pixels = null;
  if (old) await old.seg.model.dispose().catch(() => undefined);
}

/** The WebGPU self-check (app/workers/model-load.ts): one logits map of a fixed prompt and a fixed synthetic image. */
const selfCheck: GpuSelfCheck<Loaded> = {
  kind: 'segment-embed',
  run: (m) => segmentLogits(m.seg, ['a photo of a cat'], checkPixels(CLIPSEG_SIZE)),
  release: async (m) => void (await m.seg.model.dispose()),
};

const loader = modelLoader(loadWith, dispose, selfCheck);

function need<T>(v: T | null, what: string): T {
  if (!v) throw new Error(what);
  return v;
}

/** Full-size probability map of a prompt that has been segmented. */
function probMap(prompt: string): Float32Array {
  let p = probs.get(prompt);
  if (!p) {
    const l = logits.get(prompt);
    if (!l) throw new Error(`"${prompt}" has not been segmented yet`);
    const { width, height } = need(image, 'no image').img;
    p = probabilityMap(l, 0, width, height, CLIPSEG_SIZE);
    probs.set(prompt, p);
  }
  return p;
}

/** Where overlayPixels reads its probability maps: the panel's image, or a live frame. */
interface MapSource {
  width: number;
  height: number;
  has(prompt: string): boolean;
  map(prompt: string): Float32Array;
}

function imageMaps(): MapSource {
  const { width, height } = need(image, 'no image').img;
  return { width, height, has: (p) => logits.has(p), map: probMap };
}

function overlayPixels(req: RenderRequest, src: MapSource = imageMaps()): ImageData {
  const { width, height } = src;
  const n = width * height;
  const out = new ImageData(width, height);
  const d = out.data;
  const layers = req.layers.filter((l) => src.has(l.prompt));
  if (!layers.length) return out;
  const maps = layers.map((l) => src.map(l.prompt));
  const op = Math.max(0, Math.min(1, req.opacity));
  if (req.view === 'labels') {
    const labels = labelMap(maps, req.threshold);
    const a = Math.round(op * 255);
    for (let i = 0; i < n; i++) {
      const k = labels[i];
      if (k === 0) continue;
      const c = layers[k - 1].color;
      d[i * 4] = c[0];
      d[i * 4 + 1] = c[1];
      d[i * 4 + 2] = c[2];
      d[i * 4 + 3] = a;
    }
    return out;
  }
  // "over" compositing of the layers, premultiplied while accumulating, straight alpha out.
  for (let i = 0; i < n; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let A = 0;
    for (let k = 0; k < maps.length; k++) {
      const p = maps[k][i];
      const a = req.view === 'mask' ? (p >= req.threshold ? op : 0) : p * op;
      if (a <= 0) continue;
      const c = layers[k].color;
      r = c[0] * a + r * (1 - a);
      g = c[1] * a + g * (1 - a);
      b = c[2] * a + b * (1 - a);
      A = a + A * (1 - a);
    }
    if (A <= 0) continue;
    d[i * 4] = r / A;
    d[i * 4 + 1] = g / A;
    d[i * 4 + 2] = b / A;
    d[i * 4 + 3] = Math.round(A * 255);
  }
  return out;
}

function rgbToImageData(img: RgbImage): ImageData {
  const n = img.width * img.height;
  const out = new ImageData(img.width, img.height);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out.data[i * 4] = img.data[j];
    out.data[i * 4 + 1] = img.data[j + 1];
    out.data[i * 4 + 2] = img.data[j + 2];
    out.data[i * 4 + 3] = 255;
  }
  return out;
}

/**
 * A WebGPU failure mid-run (device lost, out of memory) leaves this worker's ONNX Runtime unusable,
 * WASM included (src/runtime/gpu-lost.ts): the run stops with a GPU_LOST_TAG error and the page
 * starts a fresh worker on WASM and runs again (app/stores/segment.ts).
 */
async function runModel(m: Loaded, prompts: string[], pixels: Float32Array): Promise<Float32Array> {
  try {
    return await segmentLogits(m.seg, prompts, pixels);
  } catch (e) {
    if (m.info.device !== 'webgpu') throw e;
    throw new Error(`${GPU_LOST_TAG}WebGPU failed during the run (${message(e)})`);
  }
}

const api: SegmentWorkerApi = {
  probe: probeWorker,

  async load(req, onProgress) {
    model = await loader.load(req, onProgress);
    return model.info;
  },

  cancelLoad() {
    loader.cancel();
  },

  async setImage(file, name) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      throw new Error(`${name}: could not read the file (${message(e)})`);
    }
    const img = await decodeImageBrowser(bytes, name).catch((e: unknown) => {
      throw new Error(e instanceof ImageInputError ? e.message : `${name}: ${message(e)}`);
    });
    image = { name, img, pixels: null };
    clearMaps();
    const bitmap = await createImageBitmap(rgbToImageData(img));
    return Comlink.transfer({ name, width: img.width, height: img.height, bitmap }, [bitmap]);
  },

  async segment(prompts) {
    const m = need(model, 'load the model first');
    const cur = need(image, 'drop an image first');
    const t0 = performance.now();
    const todo = [...new Set(prompts.filter((p) => !logits.has(p)))];
    if (!todo.length) return { computed: [], seconds: 0, truncated: [] };
    const pixels = pixelsFor(cur, m);
    const flags = tokenizePrompts(m.seg, todo).truncated;
    const out = await runModel(m, todo, pixels);
    const plane = CLIPSEG_SIZE * CLIPSEG_SIZE;
    todo.forEach((p, k) => logits.set(p, out.slice(k * plane, (k + 1) * plane)));
    return { computed: todo, seconds: (performance.now() - t0) / 1000, truncated: todo.filter((_, k) => flags[k]) };
  },

  async render(req) {
    const px = overlayPixels(req);
    const canvas = new OffscreenCanvas(px.width, px.height);
    canvas.getContext('2d')!.putImageData(px, 0, 0);
    const bmp = canvas.transferToImageBitmap();
    return Comlink.transfer(bmp, [bmp]);
  },

  async probabilitiesAt(prompts, x, y) {
    const { width, height } = need(image, 'no image').img;
    return prompts.map((p) => {
      const l = logits.get(p);
      return l ? probabilitiesAt(l, 1, x, y, width, height, CLIPSEG_SIZE)[0] : NaN;
    });
  },

  async maskPng({ prompts, threshold, kind }) {
    const { width, height } = need(image, 'no image').img;
    const maps = prompts.filter((p) => logits.has(p)).map(probMap);
    if (!maps.length) throw new Error('segment a prompt first');
    const mask = kind === 'labels' ? labelMap(maps, threshold) : thresholdMask(maps[0], threshold);
    const png = encodeGrayPng(mask, width, height);
    return Comlink.transfer(png, [png.buffer]);
  },

  async overlayPng(req) {
    const cur = need(image, 'no image');
    const canvas = new OffscreenCanvas(cur.img.width, cur.img.height);
    const ctx = canvas.getContext('2d')!;
    ctx.putImageData(rgbToImageData(cur.img), 0, 0);
    const over = new OffscreenCanvas(cur.img.width, cur.img.height);
    over.getContext('2d')!.putImageData(overlayPixels(req), 0, 0);
    ctx.drawImage(over, 0, 0);
    return canvas.convertToBlob({ type: 'image/png' });
  },

  async segmentFrame(frame, prompts, req) {
    const t0 = performance.now();
    const m = need(model, 'load the model first');
    let read: ReturnType<typeof frameToRgb>;
    try {
      read = frameToRgb(frame);
    } finally {
      frame.close();
    }
    const { img } = read;
    // Its own maps: the panel's image, its logits and exports stay as they were.
    const todo = [...new Set(prompts)];
    const [, h, w] = outputShape(img, m.cfg);
    if (h !== CLIPSEG_SIZE || w !== CLIPSEG_SIZE) throw new Error(`the model's preprocessor_config.json resizes to ${w}x${h}; CLIPSeg needs ${CLIPSEG_SIZE}x${CLIPSEG_SIZE}`);
    const out = todo.length ? await runModel(m, todo, preprocess(img, m.cfg)) : new Float32Array(0);
    const plane = CLIPSEG_SIZE * CLIPSEG_SIZE;
    const maps = new Map(todo.map((p, k) => [p, probabilityMap(out.subarray(k * plane, (k + 1) * plane), 0, img.width, img.height, CLIPSEG_SIZE)]));
    const px = overlayPixels(req, { width: img.width, height: img.height, has: (p) => maps.has(p), map: (p) => maps.get(p)! });
    liveFrame = read;
    const canvas = new OffscreenCanvas(px.width, px.height);
    canvas.getContext('2d')!.putImageData(px, 0, 0);
    const overlay = canvas.transferToImageBitmap();
    return Comlink.transfer({ overlay, width: img.width, height: img.height, ms: performance.now() - t0 }, [overlay]);
  },

  async liveFramePng() {
    return liveFrame ? rgbaToPng(liveFrame.rgba, liveFrame.img.width, liveFrame.img.height) : null;
  },

  async rawMaps(prompts, kind) {
    const plane = CLIPSEG_SIZE * CLIPSEG_SIZE;
    const have = prompts.filter((p) => logits.has(p));
    if (!have.length) throw new Error('segment a prompt first');
    const out = new Float32Array(have.length * plane);
    have.forEach((p, k) => out.set(logits.get(p)!, k * plane));
    if (kind === 'probabilities') sigmoidInPlace(out);
    return Comlink.transfer(out, [out.buffer]);
  },
};

Comlink.expose(api);
