// Native reference: onnxruntime-node on the same ONNX files and the same cores.
import * as ort from 'onnxruntime-node';
import { AutoTokenizer } from '@huggingface/transformers';
import { tokenizeClip } from '../src/models/clip/tokenize';
import { fakePixels, throughput } from './pages/timing';
import { TEN_PROMPTS } from './pages/misc-bench-shared';

export interface NodeVisionArgs { file: string; threads: number; batch: number; seconds: number }

export async function nodeVision(a: NodeVisionArgs) {
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(a.file, {
    intraOpNumThreads: a.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
  });
  const createMs = performance.now() - t0;
  const input = new ort.Tensor('float32', fakePixels(a.batch * 3 * 224 * 224), [a.batch, 3, 224, 224]);
  await session.run({ pixel_values: input });
  const cpu0 = process.cpuUsage();
  const tp = await throughput(() => session.run({ pixel_values: input }), a.batch, a.seconds);
  const cpu = process.cpuUsage(cpu0);
  await session.release();
  // CPU time per image barely depends on other processes (with one thread, no spin-waiting either).
  // every image run while the CPU clock ran: the warm-up steps and the timed ones
  const cpuMsPerImage = (cpu.user + cpu.system) / 1000 / (tp.items + tp.warmup_runs * a.batch);
  return { ...tp, create_ms: createMs, threads: a.threads, batch: a.batch, cpu_ms_per_image: cpuMsPerImage };
}

/** Text encoder on the 10 prompts, tokenized as the lab does (src/clip/tokenize.ts, padded to the longest). */
export async function nodeText(a: { modelDir: string; file: string; threads: number; seconds: number }) {
  const session = await ort.InferenceSession.create(a.file, { intraOpNumThreads: a.threads, graphOptimizationLevel: 'all' });
  const tok = await AutoTokenizer.from_pretrained(a.modelDir);
  const t = tokenizeClip(tok, TEN_PROMPTS, 'longest');
  const dims = [t.count, t.length];
  const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', t.inputIds, dims) };
  if (session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', t.attentionMask, dims);
  const tp = await throughput(() => session.run(feeds), t.count, a.seconds);
  await session.release();
  return { ...tp, threads: a.threads, tokens: t.length };
}
