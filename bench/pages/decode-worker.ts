// Decode + faithful preprocessing off the inference thread: the lab's browser path
// (src/data/decode-browser.ts + src/clip/preprocess.ts), fed by URLs, answering pixel values.
import { decodeImageBrowser } from '../../src/data/decode-browser';
import { loadPreprocessorConfig, preprocess, type PreprocessorConfig } from '../../src/clip/preprocess';
import { serve } from './protocol';

let cfg: PreprocessorConfig | null = null;

serve({
  async init(a: { config: unknown }) {
    cfg = loadPreprocessorConfig(a.config);
    return true;
  },
  async prep(a: { urls: string[] }) {
    if (!cfg) throw new Error('decode worker: init first');
    const out: Float32Array[] = [];
    for (const url of a.urls) {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      out.push(preprocess(await decodeImageBrowser(bytes, url), cfg));
    }
    // Transfer, not copy: the buffers move to the inference worker.
    (self as unknown as { __transfer?: Transferable[] }).__transfer = out.map((p) => p.buffer);
    return out;
  },
});
