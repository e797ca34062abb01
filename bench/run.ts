// npm run bench -- [--quick] [--json <file>] [--model <folder>] [--seg-model <folder>] [--only node,browser,preprocess,gap,pipeline,curve,train]
// Builds the bench site, serves it cross-origin isolated, drives headless Chromium and runs the
// Node reference on the same models and cores; prints a table and optionally writes JSON.
// Route library logs to stderr: stdout carries only the table (or nothing with --json -).
console.log = console.info = console.warn = (...a: unknown[]) => console.error(...a);
export {};

const { writeFileSync, existsSync, mkdirSync } = await import('node:fs');
const { join, resolve, dirname, basename } = await import('node:path');
const os = (await import('node:os')).default;
const { startServer, benchDir } = await import('./server');
const { openBench } = await import('./browser');
const { nodeVision, nodeText } = await import('./node-infer');
const { nodePreprocess, nodeSearch, nodeClipseg } = await import('./node-misc');
const { makeImages } = await import('./images');
const { rendererPids, sampleMemory, rssAt, sampleCpu } = await import('./memory');
const { Report, machine, GFLOP_PER_IMAGE, round } = await import('./report');
const { median } = await import('./pages/misc-bench-shared');
const { computeRatios } = await import('./ratios');

interface Opts { gapFull: boolean; curveMax?: number; quick: boolean; json?: string; model: string; segModel: string; only: Set<string>; dtype: 'fp32' | 'q8' }

function parse(argv: string[]): Opts {
  const o: Opts = { quick: false, model: join(benchDir, 'models/clip-vit-base-patch32-placeholder'),
    segModel: join(benchDir, 'models/clipseg-rd64-refined-placeholder'), only: new Set(), dtype: 'q8', gapFull: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--model') o.model = resolve(argv[++i]);
    else if (a === '--seg-model') o.segModel = resolve(argv[++i]);
    else if (a === '--only') argv[++i].split(',').forEach((s) => o.only.add(s));
    else if (a === '--pipeline-dtype') o.dtype = argv[++i] as 'fp32' | 'q8';
    else if (a === '--curve-max') o.curveMax = Number(argv[++i]);
    else if (a === '--gap-full') o.gapFull = true;
    else throw new Error(`unknown option ${a} (see bench/README.md)`);
  }
  // The training section (ResNet-20 on random inputs) needs no model files.
  const needModels = o.only.size === 0 || [...o.only].some((s) => s !== 'train');
  for (const [flag, dir] of needModels ? [['--model', o.model], ['--seg-model', o.segModel]] : []) {
    if (!existsSync(join(dir, 'onnx'))) {
      throw new Error(`${flag} ${dir}: no onnx/ folder there. Prepare the models first (bench/README.md):\n` +
        '  mkdir -p bench/models && tar xzf ../shared/benchmarks/clip-vit-base-patch32-placeholder.tar.gz -C bench/models');
    }
  }
  return o;
}

const o = parse(process.argv.slice(2));
const tStart = performance.now();
const want = (s: string) => o.only.size === 0 || o.only.has(s);
// Preprocessing figures belong to node and browser; `--only preprocess` runs just those (both sides).
const wantPre = (side: 'node' | 'browser') => want(side) || o.only.has('preprocess');
// The gap grid is long (every session option on its own): a full run has it, --quick only with --gap-full or --only gap.
const wantGap = o.only.has('gap') || (o.only.size === 0 && (!o.quick || o.gapFull));
const cores = os.cpus().length;
const loadStart = os.loadavg();
const report = new Report();
// Seconds per throughput figure (after a warm-up run; at least 3 timed runs).
const secs = o.quick ? 2 : 8;
const onnx = (f: string) => join(o.model, 'onnx', f);
const VISION = { fp32: 'vision_model.onnx', q8: 'vision_model_quantized.onnx' } as const;
const TEXT = { fp32: 'text_model.onnx', q8: 'text_model_quantized.onnx' } as const;
const threadSet = [...new Set([1, cores])];
const phases: { phase: string; s: number }[] = [];
const elapsed = (t: number) => Math.round((performance.now() - t) / 100) / 10;
const step = async (label: string, f: () => Promise<void>) => {
  const t = performance.now();
  console.error(`# ${label}`);
  try { await f(); } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    report.notes.push(`${label} failed: ${msg}`);
    console.error(`  FAILED: ${msg}`);
  }
  phases.push({ phase: label, s: elapsed(t) });
  console.error(`  (${elapsed(t)} s)`);
};
// Best run, not the mean: on a shared machine other processes only ever slow a run down, so the
// fastest of several runs is the closest to what the code itself costs. The median goes alongside.
const ips = (runMs: number[], per: number) => (per * 1000) / Math.min(...runMs);
const medIps = (runMs: number[], per: number) => Number(((per * 1000) / median(runMs)).toFixed(2));

// ---------------- Node (onnxruntime-node) ----------------
const native: Record<string, number[]> = {};
const nativeCpu: Record<string, number[]> = {};
async function nativeVision(dtype: 'fp32' | 'q8', threads: number, tag: string) {
  const r = await nodeVision({ file: onnx(VISION[dtype]), threads, batch: 8, seconds: secs });
  const v = ips(r.run_ms, 8);
  (native[`${dtype}_t${threads}`] ??= []).push(v);
  report.add(`node.vision.${dtype}.t${threads}.${tag}`, v, 'img/s', { batch: 8, runs: r.runs, median_img_s: medIps(r.run_ms, 8), gflops: Number((v * GFLOP_PER_IMAGE).toFixed(1)), cpu_ms_per_image: Math.round(r.cpu_ms_per_image) });
  (nativeCpu[`${dtype}_t${threads}`] ??= []).push(r.cpu_ms_per_image);
}

const curveMax = Math.min(o.curveMax ?? Infinity, o.quick ? 1000 : 10000);
const pipelineN = o.quick ? 32 : 100;
const setSize = want('curve') ? Math.max(curveMax, want('pipeline') ? pipelineN : 0) : want('pipeline') ? pipelineN : 0;
let images = { big: '', small: '', set: [] as string[] };
if (wantPre('node') || wantPre('browser') || want('pipeline') || want('curve')) {
  await step(`test images (generated once into bench/.cache/images, ${setSize} for the pipeline/curve)`, async () => { images = await makeImages(setSize); });
}

if (want('node')) {
  await step('node: vision encoder (onnxruntime-node, batch 8)', async () => {
    for (const d of ['fp32', 'q8'] as const) for (const t of threadSet) await nativeVision(d, t, 'before');
  });
  await step('node: text encoder (10 prompts, padded to the longest)', async () => {
    for (const d of ['fp32', 'q8'] as const) {
      const r = await nodeText({ modelDir: o.model, file: onnx(TEXT[d]), threads: cores, seconds: secs / 2 });
      report.add(`node.text.${d}.t${cores}`, ips(r.run_ms, 10), 'prompts/s', { median: medIps(r.run_ms, 10), tokens: r.tokens });
    }
  });
  await step('node: search (EmbeddingIndex, dim 512, top 10)', async () => {
    const r = nodeSearch([10_000, 100_000], 512, 20);
    report.add('node.search.10k', r.ms_10000 as number, 'ms', { simd: r.simd });
    report.add('node.search.100k', r.ms_100000 as number, 'ms', { simd: r.simd });
  });
  await step('node: CLIPSeg (onnxruntime-node)', async () => {
    for (const d of (o.quick ? ['q8'] : ['fp32', 'q8']) as ('fp32' | 'q8')[]) {
      const r = await nodeClipseg(o.segModel, d, [1, 4], o.quick ? 2 : 4);
      report.add(`node.clipseg.${d}.per_pair.1_prompt`, r.ms_per_pair_1_prompts, 'ms');
      report.add(`node.clipseg.${d}.per_pair.4_prompts`, r.ms_per_pair_4_prompts, 'ms');
    }
  });
}
if (wantPre('node')) {
  await step('node: preprocessing (lab decode+preprocess vs transformers.js)', async () => {
    const r = await nodePreprocess(o.model, { '12mp.jpg': images.big, '224px.jpg': images.small }, o.quick ? 3 : 7);
    for (const [img, m] of Object.entries(r)) for (const [k, v] of Object.entries(m)) report.add(`node.preprocess.${img}.${k}`, v, 'ms');
  });
}

// ---------------- Browser ----------------
let chromiumVersion: string | undefined;
const browserCpu: Record<string, number> = {};
if (wantPre('browser') || wantGap || want('pipeline') || want('curve') || want('train')) {
  const tBuild = performance.now();
  console.error('# building bench/dist');
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
  const { build } = await import('vite');
  await build({ configFile: join(benchDir, 'vite.config.ts'), logLevel: 'error' });
  phases.push({ phase: 'build bench/dist (vite)', s: elapsed(tBuild) });
  const modelName = basename(o.model);
  const segName = basename(o.segModel);
  const srv = await startServer(join(benchDir, 'dist'), { [modelName]: o.model, [segName]: o.segModel },
    Object.fromEntries([images.big, images.small, ...images.set].map((f) => [basename(f), f])));
  const b = await openBench(srv.url);
  let stopCpu = () => {};
  chromiumVersion = b.version;
  const hub = `${srv.url}/hub/`;
  const model = `bench/${modelName}`;
  const fileUrl = (f: string) => `${srv.url}/files/${basename(f)}`;
  const modelUrl = (f: string) => `${hub}${model}/resolve/main/onnx/${f}`;
  try {
    const info = await b.call('info');
    report.add('browser.crossOriginIsolated', info.crossOriginIsolated ? 1 : 0, 'bool', info);
    if (!info.crossOriginIsolated) report.notes.push('page is NOT cross-origin isolated: WASM runs single-threaded');

    const cpu = await sampleCpu(b.browser);
    stopCpu = cpu.stop;
    const browserVision = async (label: string, args: Record<string, unknown>, dtype: 'fp32' | 'q8', threads: number, extra: Record<string, unknown> = {}) => {
      const r = args.cmd === 'tfVision'
        ? await b.call('tfVision', { hubBase: hub, model, dtype, threads, batch: 8, seconds: secs, ...args })
        : await b.call('ortVision', { modelUrl: modelUrl(VISION[dtype]), threads, batch: 8, seconds: secs, ...args });
      const v = ips(r.run_ms, r.batch);
      await new Promise((ok) => setTimeout(ok, 250)); // one more CPU sample after the loop
      const cpuMs = cpu.cpuMsBetween(r.loop_start_epoch, r.loop_end_epoch) / r.items;
      report.add(label, v, 'img/s', { ...extra, batch: r.batch, runs: r.runs, median_img_s: medIps(r.run_ms, r.batch), gflops: Number((v * GFLOP_PER_IMAGE).toFixed(1)), cpu_ms_per_image: Math.round(cpuMs) });
      browserCpu[label] = cpuMs;
      return v;
    };

    if (want('browser')) {
      await step('browser: vision encoder, transformers.js vs raw ORT session (worker, batch 8)', async () => {
        for (const d of ['fp32', 'q8'] as const) {
          for (const t of threadSet) {
            await browserVision(`browser.vision.${d}.t${t}.transformers`, { cmd: 'tfVision' }, d, t, { runtime: 'transformers.js 4.3.1 (ORT asyncify build)' });
            // --quick: what the lab runs (transformers.js) only; the raw session is in the full run and the gap grid.
            if (!o.quick) await browserVision(`browser.vision.${d}.t${t}.ort_plain`, { cmd: 'ortVision', flavor: 'tf-wasm' }, d, t, { runtime: 'raw onnxruntime-web session, plain (non-asyncify) wasm build' });
          }
        }
      });
      await step('node: vision encoder again (brackets the browser runs: same load)', async () => {
        // --quick: all cores only (the wall-clock ratios); the 1-thread CPU-time ratio barely moves with load.
        for (const d of ['fp32', 'q8'] as const) for (const t of o.quick ? [cores] : threadSet) await nativeVision(d, t, 'after');
      });
      await step('browser: text encoder (transformers.js, 10 prompts)', async () => {
        for (const d of ['fp32', 'q8'] as const) {
          const r = await b.call('tfText', { model, dtype: d, threads: cores, seconds: secs / 2 });
          report.add(`browser.text.${d}.t${cores}`, ips(r.run_ms, 10), 'prompts/s', { median: medIps(r.run_ms, 10), tokens: r.tokens });
        }
      });
      await step('browser: search (EmbeddingIndex in the worker)', async () => {
        const r = await b.call('searchBench', { sizes: [10_000, 100_000], dim: 512, queries: 20 });
        report.add('browser.search.10k', r.ms_10000, 'ms', { simd: r.simd });
        report.add('browser.search.100k', r.ms_100000, 'ms', { simd: r.simd });
      });
      await step('browser: CLIPSeg per (image, prompt)', async () => {
        for (const d of (o.quick ? ['q8'] : ['fp32', 'q8']) as ('fp32' | 'q8')[]) {
          const r = await b.call('clipsegBench', { model: `bench/${segName}`, dtype: d, threads: cores, prompts: [1, 4], reps: o.quick ? 2 : 4 });
          report.add(`browser.clipseg.${d}.per_pair.1_prompt`, r.ms_per_pair_1_prompts, 'ms');
          report.add(`browser.clipseg.${d}.per_pair.4_prompts`, r.ms_per_pair_4_prompts, 'ms');
        }
      });
    }

    if (wantPre('browser')) {
      await step('browser: preprocessing in the worker (lab vs transformers.js canvas path vs the lab before)', async () => {
        type Pre = { ms: Record<string, number[]>; blocks: { variant: string; start: number; end: number; reps: number }[]; identical: number; readPath: string };
        const r = await b.call<Record<string, Pre>>('preprocessBench', { model, urls: { '12mp.jpg': fileUrl(images.big), '224px.jpg': fileUrl(images.small) }, reps: o.quick ? 4 : 8 });
        await new Promise((ok) => setTimeout(ok, 250)); // one more CPU sample after the last block
        for (const [img, m] of Object.entries(r)) {
          // Renderer CPU time per image for each variant (sum over its blocks): load cannot shrink it.
          const cpuMs: Record<string, number> = {};
          const reps: Record<string, number> = {};
          for (const bl of m.blocks) {
            cpuMs[bl.variant] = (cpuMs[bl.variant] ?? 0) + cpu.cpuMsBetween(bl.start, bl.end);
            reps[bl.variant] = (reps[bl.variant] ?? 0) + bl.reps;
          }
          for (const [k, v] of Object.entries(m.ms)) {
            const variant = k.startsWith('before') ? 'before' : k === 'canvas' ? 'canvas' : 'lab';
            const total = k === variant;
            report.add(`browser.preprocess.${img}.${k}_ms`, median(v), 'ms', { best_ms: round(Math.min(...v)), reps: v.length,
              ...(total ? { cpu_ms: Math.round(cpuMs[variant] / reps[variant]) } : {}) });
          }
          report.add(`browser.preprocess.${img}.identical`, m.identical, 'bool', { what: 'lab pixels and pixel values equal the before-code output, bit for bit', jpeg_read_path: m.readPath });
          if (m.identical !== 1) report.notes.push(`browser.preprocess.${img}: the lab's pixel values DIFFER from the before-code's`);
        }
      });
    }

    if (wantGap) {
      await step('browser: where the WASM gap comes from (raw ORT session, one change at a time)', async () => {
        // One thread first: CPU time per image is then a clean measure of the kernels, whatever else
        // runs on the machine. The main variants again with every core for wall-clock figures.
        type Cfg = [string, Record<string, unknown>];
        const fp32: Cfg[] = [
          ['transformers_js', { cmd: 'tfVision' }],
          ['transformers_js_plain_build', { cmd: 'tfVision', build: 'plain' }],
          ['asyncify_build', { flavor: 'tf-webgpu' }],
          ['plain_build', { flavor: 'tf-wasm' }],
          ['plain_build_ort_1.30', { flavor: 'top-wasm' }],
          ['plain_build_batch1', { flavor: 'tf-wasm', batch: 1 }],
          ...(o.quick && !o.gapFull ? [] : [
            ['plain_build_batch4', { flavor: 'tf-wasm', batch: 4 }],
            ['plain_build_batch16', { flavor: 'tf-wasm', batch: 16 }],
            ['plain_build_opt_basic', { flavor: 'tf-wasm', options: { graphOptimizationLevel: 'basic' } }],
            ['plain_build_opt_disabled', { flavor: 'tf-wasm', options: { graphOptimizationLevel: 'disabled' } }],
            ['plain_build_fixed_batch', { flavor: 'tf-wasm', fixBatch: true }],
            ['plain_build_no_mem_pattern_no_arena', { flavor: 'tf-wasm', options: { enableMemPattern: false, enableCpuMemArena: false } }],
            ['plain_build_only_image_embeds', { flavor: 'tf-wasm', onlyEmbeds: true }],
          ] as Cfg[]),
        ];
        const q8: Cfg[] = [
          ['transformers_js', { cmd: 'tfVision' }],
          ['transformers_js_plain_build', { cmd: 'tfVision', build: 'plain' }],
          ['asyncify_build', { flavor: 'tf-webgpu' }],
          ['plain_build', { flavor: 'tf-wasm' }],
          ['plain_build_batch1', { flavor: 'tf-wasm', batch: 1 }],
          ...(o.quick && !o.gapFull ? [] : [
            ['plain_build_ort_1.30', { flavor: 'top-wasm' }],
            ['plain_build_batch2', { flavor: 'tf-wasm', batch: 2 }],
            ['plain_build_batch4', { flavor: 'tf-wasm', batch: 4 }],
            ['asyncify_build_batch1', { flavor: 'tf-webgpu', batch: 1 }],
          ] as Cfg[]),
        ];
        // With every core, only what the browser section has not measured already (it has
        // transformers.js and the plain-build session at all cores).
        const allCores = new Set(['transformers_js_plain_build', 'plain_build_batch1']);
        for (const [dtype, grid] of [['fp32', fp32], ['q8', q8]] as const) {
          for (const t of threadSet) {
            for (const [name, args] of grid) {
              if (t !== 1 && !allCores.has(name)) continue;
              // 4 s per figure (at least 3 timed runs): one thread's CPU time per image needs no more.
              await browserVision(`gap.vision.${dtype}.t${t}.${name}`, { cmd: 'ortVision', seconds: Math.min(secs, 4), ...args }, dtype, t);
            }
          }
        }
      });
    }

    const labels = ['cat', 'dog', 'car', 'tree', 'house', 'boat', 'bird', 'flower', 'mountain', 'person'];
    if (want('pipeline')) {
      const n = pipelineN;
      const urls = images.set.slice(0, n).map(fileUrl);
      await step(`browser: classify ${n} images x 10 classes, lab pipeline vs naive (${o.dtype}, cold)`, async () => {
        // The decode worker needs a core too: also try leaving it one (ORT threads = cores - 1).
        const labMs: number[] = [];
        const labCpu: number[] = [];
        // Renderer CPU time over the classify part (text embeddings + images; model load excluded).
        const cpuOf = async (r: { classify_start_epoch_ms: number; end_epoch_ms: number }) => {
          await new Promise((ok) => setTimeout(ok, 250));
          return cpu.cpuMsBetween(r.classify_start_epoch_ms, r.end_epoch_ms);
        };
        for (const t of [...new Set([cores, Math.max(1, cores - 1)])]) {
          const lab = await b.call('labClassify', { model, dtype: o.dtype, threads: t, urls, labels, batch: 8 });
          labMs.push(lab.text_ms + lab.classify_ms);
          labCpu.push(await cpuOf(lab));
          report.add(`pipeline.lab.${n}img.t${t}.classify_wall`, (lab.text_ms + lab.classify_ms) / 1000, 's', { load_s: Number((lab.load_ms / 1000).toFixed(1)), text_s: Number((lab.text_ms / 1000).toFixed(2)), total_s: Number((lab.total_ms / 1000).toFixed(1)), cpu_s: round(labCpu[labCpu.length - 1] / 1000) });
        }
        const naive = await b.call('naiveClassify', { model, dtype: o.dtype, threads: cores, urls, labels });
        const naiveCpu = await cpuOf(naive);
        report.add(`pipeline.naive.${n}img.t${cores}.classify_wall`, naive.classify_ms / 1000, 's', { load_s: Number((naive.load_ms / 1000).toFixed(1)), total_s: Number((naive.total_ms / 1000).toFixed(1)), cpu_s: round(naiveCpu / 1000) });
        report.ratio('pipeline_vs_naive', naive.classify_ms / Math.min(...labMs));
        report.ratio(`pipeline_vs_naive_same_threads_t${cores}`, naive.classify_ms / labMs[0]);
        report.ratio('pipeline_vs_naive_cpu_time', naiveCpu / Math.min(...labCpu));
      });
      await step('browser: time to first result (lab pipeline, cold then warm Cache API)', async () => {
        for (const which of ['cold', 'warm']) {
          const r = await b.call('labClassify', { model, dtype: o.dtype, threads: cores, urls, labels, firstOnly: true, cache: true });
          report.add(`ttfr.lab.${o.dtype}.${which}_cache`, r.first_result_ms / 1000, 's', { load_s: (r.load_ms / 1000).toFixed(2) });
        }
      });
    }

    if (want('curve')) {
      const counts = [10, 30, 100, 300, 1000, 3000, 10000].filter((c) => c <= curveMax);
      if (counts[counts.length - 1] !== curveMax) counts.push(curveMax);
      const n = counts[counts.length - 1];
      await step(`browser: cost curve and peak memory, lab pipeline, ${n} images (${o.dtype})`, async () => {
        const pids = await rendererPids(b.browser);
        const mem = sampleMemory(pids);
        const r = await b.call('labClassify', { model, dtype: o.dtype, threads: cores, urls: images.set.slice(0, n).map(fileUrl), labels, batch: 8, checkpoints: counts });
        const m = mem.stop();
        for (const c of r.checkpoints) {
          report.add(`curve.lab.${o.dtype}.${c.images}img`, c.ms / 1000, 's', { ms_per_image: (c.ms / c.images).toFixed(1), renderer_rss_mib: Math.round(rssAt(m.samples, c.epoch_ms)) });
        }
        report.add(`memory.lab.${o.dtype}.peak_renderer_rss.${n}img`, m.peak_mib, 'MiB', { renderers: pids.length });
      });
    }

    if (want('train')) {
      await step('browser: training img/s, ResNet-20 width 16, batch 128, TF.js backends vs PyTorch CPU', async () => {
        // A browser of its own with a GPU adapter (SwiftShader here) so webgl/webgpu can be tried too.
        const g = await openBench(srv.url, ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader']);
        const { execFile } = await import('node:child_process');
        const torchSteps = o.quick ? 3 : 5;
        // Same network and batch on PyTorch CPU (Debian's python3-torch), 2 threads, run right after the
        // wasm figure of the same mode so both see the same machine load.
        const torch = (mode: string) => new Promise<Record<string, number> | undefined>((ok) => {
          execFile('/usr/bin/python3', [join(benchDir, 'torch_resnet.py'), '--modes', mode, '--steps', String(torchSteps), '--batch', '128', '--depth', '20', '--threads', '2'],
            { encoding: 'utf8' }, (err, stdout) => {
              if (err) { report.notes.push(`train: PyTorch reference failed (/usr/bin/python3 bench/torch_resnet.py: ${err.message.split('\n')[0]}); apt-get install python3-torch`); ok(undefined); return; }
              const r = JSON.parse(stdout);
              ok({ ...r.results[0], threads: r.threads, torch: r.torch });
            });
        });
        const wasmBest: Record<string, number> = {};
        const firstLoss: Record<string, number> = {};
        const one = async (name: string, v: Record<string, unknown>, mode: string) => {
          const sw = v.backend !== 'wasm';
          try {
            // Software GPUs (SwiftShader) take minutes per step: one step (shader compilation included), capped.
            const r = await g.call('trainBench', { ...v, mode, depth: 20, batch: 128, warmup: sw ? 0 : 2,
              steps: sw ? 1 : (o.quick ? 3 : 5), budgetS: sw ? 0 : 120, initTimeoutS: 30, timeoutS: sw ? 200 : 600 });
            const { images_per_s, ...extra } = r;
            if (r.software) extra.note = 'software GPU (SwiftShader): correctness only, not a speed figure';
            if (!r.loss_finite) report.notes.push(`train.${name}.${mode}: non-finite loss`);
            // Same init, data and seed everywhere: the first step's loss must match the wasm one.
            if (v.backend === 'wasm') firstLoss[mode] ??= r.losses[0];
            else if (firstLoss[mode] !== undefined) {
              extra.first_loss_vs_wasm = Number(Math.abs(r.losses[0] - firstLoss[mode]).toFixed(4));
              if (!(extra.first_loss_vs_wasm as number <= 0.01)) report.notes.push(`train.${name}.${mode}: WRONG, first loss ${r.losses[0]} vs wasm ${firstLoss[mode]}`);
            }
            report.add(`train.${name}.${mode}`, images_per_s, 'img/s', extra);
            if (v.backend === 'wasm') wasmBest[mode] = Math.max(wasmBest[mode] ?? 0, images_per_s);
          } catch (e) {
            const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
            report.notes.push(`train.${name}.${mode} skipped: ${msg}`);
            console.error(`  train.${name}.${mode} skipped: ${msg}`);
          }
        };
        try {
          // CPU figures first: GPU work queued by a software adapter can outlive its worker and load the cores.
          for (const mode of ['full', 'bn']) {
            await one('wasm_simd', { backend: 'wasm', threads: 0 }, mode);
            const t = await torch(mode);
            if (t) report.add(`train.pytorch_cpu_t2.${mode}`, t.images_per_s, 'img/s', t);
            // What the lab ships: the threaded build with one thread per core (src/bnonly/backend.ts configureWasmThreads).
            await one(`wasm_simd_threads_${cores}`, { backend: 'wasm', threads: cores }, mode);
            if (t && wasmBest[mode]) report.ratio(`train_wasm_vs_torch_${mode}`, wasmBest[mode] / t.images_per_s);
          }
          // Software GPUs (SwiftShader) are a correctness check taking minutes: full run only.
          if (!o.quick) for (const backend of ['webgl', 'webgpu']) for (const mode of ['full', 'bn']) await one(backend, { backend, threads: 0 }, mode);
        } finally {
          await g.close();
        }
        report.notes.push('train: img/s = batch x timed steps / their wall time (mean, not best step); ratios use the best wasm variant. Target (issue 6): train_wasm_vs_torch_* >= 0.25.');
      });
    }
  } finally {
    stopCpu();
    await b.close();
    await srv.close();
  }
}

// ---------------- ratios ----------------
Object.assign(report.ratios, computeRatios(report.results, cores, report.ratios));

const elapsedS = elapsed(tStart);
const out = { machine: machine(chromiumVersion, loadStart), options: { quick: o.quick, only: [...o.only], curve_max: curveMax, model: o.model, seg_model: o.segModel, pipeline_dtype: o.dtype, elapsed_s: elapsedS, phases },
  results: report.results, ratios: report.ratios, notes: report.notes };
process.stdout.write(`${report.table()}\n`);
const phaseLines = phases.map((p) => `  ${String(p.s).padStart(7)} s  ${p.phase}`).join('\n');
process.stdout.write(`\nphases:\n${phaseLines}\ntotal elapsed: ${elapsedS} s (${(elapsedS / 60).toFixed(1)} min)\n`);
if (o.json) {
  if (o.json !== '-') mkdirSync(dirname(resolve(o.json)), { recursive: true });
  if (o.json === '-') process.stdout.write(JSON.stringify(out, null, 1));
  else writeFileSync(o.json, `${JSON.stringify(out, null, 1)}\n`);
  console.error(`wrote ${o.json}`);
}
