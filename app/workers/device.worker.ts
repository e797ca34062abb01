/**
 * The device test's worker: loads the chosen model once per setting (device × dtype, from the
 * browser cache), times image and text encoding with the core (src/runtime/device-test.ts), and
 * times BatchNorm-only training steps per TF.js backend. ONNX Runtime is set up exactly as the CLIP
 * worker does it (configureOrt, the GPU probe of model-load.ts), with this group's thread count.
 * Exposed with Comlink (see device-protocol.ts).
 */
import * as Comlink from 'comlink';
import { loadImageTextModel, type ImageTextModel } from '../../src/models';
import { loadPreprocessorConfig, preprocess } from '../../src/clip/preprocess';
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { configureOrt } from '../../src/runtime/ort-env';
import { configId, measureModel, type ConfigMeasurement } from '../../src/runtime/device-test';
import { probeGpu } from './model-load';
import type { DeviceWorkerApi } from './device-protocol';

let abort = new AbortController();
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function adapterName(): Promise<string | undefined> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null> } }).gpu;
  const a = await gpu?.requestAdapter().catch(() => null);
  const info = a?.info;
  return info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || undefined : undefined;
}

/** The test hook's wrong backend: half the signs flipped (cosine to the truth near 0). */
const corrupt = (e: Float32Array) => e.map((v, i) => (i % 2 ? -v : v));

const api: DeviceWorkerApi = {
  async probe() {
    const gpu = await probeGpu();
    return { webgpu: gpu.webgpu, fp16: gpu.fp16, cores: navigator.hardwareConcurrency || 1, isolated: globalThis.crossOriginIsolated === true, adapter: gpu.webgpu ? await adapterName() : undefined };
  },

  async measureGroup(req, onProgress) {
    abort = new AbortController();
    const signal = abort.signal;
    const wasmThreads = req.configs.find((c) => c.device === 'wasm')?.threads ?? 1;
    // the build the lab's workers pick: the plain one for a group of WASM settings (app/workers/model-load.ts)
    const webgpu = req.configs.some((c) => c.device === 'webgpu') && (await probeGpu()).webgpu;
    configureOrt(req.siteBase, Math.max(1, wasmThreads), webgpu);
    const bytes = await Promise.all(
      req.images.map(async (name) => {
        const r = await fetch(new URL(`samples/${name}`, req.siteBase));
        if (!r.ok) throw new Error(`samples/${name}: HTTP ${r.status}`);
        return new Uint8Array(await r.arrayBuffer());
      }),
    );
    const decoded = await Promise.all(bytes.map((b, i) => decodeImageBrowser(b, req.images[i])));
    const out: ConfigMeasurement[] = [];
    for (const config of req.configs) {
      const id = configId(config);
      if (signal.aborted) break;
      await onProgress({ phase: 'load', id });
      const t0 = performance.now();
      let model: ImageTextModel | null = null;
      try {
        model = await loadImageTextModel(req.source, { device: config.device, dtype: config.dtype, signal });
        const load_s = (performance.now() - t0) / 1000;
        const pre = loadPreprocessorConfig(model.preprocessorConfig);
        const pixels = decoded.map((img) => preprocess(img, pre));
        const m = await measureModel(model, { pixels, texts: req.texts, repeats: req.repeats, signal, onStep: (what, done, total) => void onProgress({ phase: what, id, done, total }) });
        if (req.fault?.includes(id) && m.imageEmbeds) m.imageEmbeds = corrupt(m.imageEmbeds);
        out.push({ config, id, load_s, ...m });
      } catch (e) {
        if (signal.aborted) break;
        out.push({ config, id, load_s: (performance.now() - t0) / 1000, error: message(e) });
      } finally {
        await model?.dispose().catch(() => undefined);
      }
    }
    return out;
  },

  async trainBackends() {
    return (await import('./device-train')).availableTrainBackends();
  },

  async trainStep(backend) {
    return (await import('./device-train')).trainOn(backend);
  },

  cancel() {
    abort.abort(new Error('cancelled'));
  },
};

Comlink.expose(api);
