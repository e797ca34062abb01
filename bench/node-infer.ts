// Native reference: onnxruntime-node on the same ONNX files and the same cores.
import * as ort from 'onnxruntime-node';
import { fakePixels, throughput } from './pages/timing';

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
  const cpuMsPerImage = (cpu.user + cpu.system) / 1000 / (tp.items + a.batch);
  return { ...tp, create_ms: createMs, threads: a.threads, batch: a.batch, cpu_ms_per_image: cpuMsPerImage };
}

/** Text encoder: `prompts` sequences of 77 tokens (CLIP pads to 77) per run. */
export async function nodeText(a: { file: string; threads: number; prompts: number; seconds: number }) {
  const session = await ort.InferenceSession.create(a.file, { intraOpNumThreads: a.threads, graphOptimizationLevel: 'all' });
  const ids = new BigInt64Array(a.prompts * 77);
  for (let p = 0; p < a.prompts; p++) {
    ids[p * 77] = 49406n;
    for (let i = 1; i < 8; i++) ids[p * 77 + i] = BigInt(320 + p * 7 + i);
    ids[p * 77 + 8] = 49407n;
    for (let i = 9; i < 77; i++) ids[p * 77 + i] = 49407n;
  }
  const mask = new BigInt64Array(a.prompts * 77).fill(1n);
  const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids, [a.prompts, 77]) };
  if (session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', mask, [a.prompts, 77]);
  const tp = await throughput(() => session.run(feeds), a.prompts, a.seconds);
  await session.release();
  return { ...tp, threads: a.threads };
}
