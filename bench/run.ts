// npm run bench -- [--quick] [--json <file>] [--model <folder>] [--seg-model <folder>] [--only node,browser,preprocess,gap,pipeline,curve,train,live,index]
//   [--reps N] [--pipeline-images N] [--curve-max N] [--seconds S] [--prototype] [--live-seconds S] [--embed-images N] [--index-rows N,M]
// Builds the bench site, serves it cross-origin isolated, drives headless Chromium and runs the
// Node reference on the same models and cores; prints a table and optionally writes JSON.
// Route library logs to stderr: stdout carries only the table (or only the JSON with --json -).
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
const { chromeProcesses, sampleProcessGroups, sampleCpu } = await import('./memory');
const { buildApp, runLab, appDistDir } = await import('./lab-app');
const { Report, machine, GFLOP_PER_IMAGE, round } = await import('./report');
const { median } = await import('./pages/misc-bench-shared');
const { computeRatios } = await import('./ratios');
const live = await import('./live');
const idx = await import('./index-bench');

interface Opts {
  gapFull: boolean; curveMax?: number; quick: boolean; json?: string; model: string; segModel: string; only: Set<string>; dtype: 'fp32' | 'q8';
  /** repetitions of each alternating timed pair (>= 3 for a published figure) */
  reps: number; pipelineImages?: number; seconds?: number; prototype: boolean;
  /** live: seconds of each measured window; index: images per embed shard, synthetic index sizes */
  liveSeconds?: number; embedImages?: number; indexRows?: number[];
}

function parse(argv: string[]): Opts {
  const o: Opts = { quick: false, model: join(benchDir, 'models/clip-vit-base-patch32-placeholder'),
    segModel: join(benchDir, 'models/clipseg-rd64-refined-placeholder'), only: new Set(), dtype: 'q8', gapFull: false, reps: 3, prototype: false };
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
    else if (a === '--reps') o.reps = Math.max(1, Math.round(Number(argv[++i])));
    else if (a === '--pipeline-images') o.pipelineImages = Math.max(1, Math.round(Number(argv[++i])));
    else if (a === '--seconds') o.seconds = Number(argv[++i]);
    else if (a === '--prototype') o.prototype = true;
    else if (a === '--live-seconds') o.liveSeconds = Number(argv[++i]);
    else if (a === '--embed-images') o.embedImages = Math.max(2, Math.round(Number(argv[++i])));
    else if (a === '--index-rows') o.indexRows = argv[++i].split(',').map((x) => Math.max(1, Math.round(Number(x))));
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
// The headline wasm-vs-native pair belongs to `browser`; `--only vision` runs it alone.
const wantVision = want('browser') || o.only.has('vision');
// Live camera (issue 17) and the embedding index (issue 18): in a full run and with --only; --quick
// leaves them out unless named (its time budget stays that of the sections above).
const wantLive = o.only.has('live') || (o.only.size === 0 && !o.quick);
const wantIndex = o.only.has('index') || (o.only.size === 0 && !o.quick);
const liveSecs = o.liveSeconds ?? (o.quick ? 6 : 10);
const embedN = o.embedImages ?? (o.quick ? 200 : 1000);
const indexRows = o.indexRows ?? [100_000, 1_000_000];
let appBuilt = false;
const cores = os.cpus().length;
const loadStart = os.loadavg();
// A run started above 1.0 per core is noisy: other processes share the cores, so the figures say
// less about the code (the flag goes in the JSON; docs/benchmarks/README.md says so beside it).
const NOISY_PER_CORE = 1.0;
const loadNow = () => os.loadavg().map((x) => round(x, 2));
const report = new Report();
// Every repetition of every alternating pair, kept in the JSON (`runs`).
const runs: Record<string, Record<string, unknown>[]> = {};
/** thread counts actually used: the lab's (one per core when cross-origin isolated), the baselines' (the same), native's */
const threadsUsed: Record<string, number> = {};
// Seconds per throughput figure (after a warm-up of at least 3 s, see bench/pages/timing.ts; at least 3 timed runs).
const secs = o.seconds ?? (o.quick ? 2 : 8);
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
const pipelineN = o.pipelineImages ?? (o.quick ? 32 : 100);
const setSize = Math.max(want('curve') ? curveMax : 0, want('pipeline') ? pipelineN : 0, wantIndex ? 2 * Math.floor(embedN) : 0, wantLive ? 3 : 0);
let images = { big: '', small: '', set: [] as string[] };
if (wantPre('node') || wantPre('browser') || want('pipeline') || want('curve') || wantLive || wantIndex) {
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
if (wantPre('browser') || wantVision || wantGap || want('pipeline') || want('curve') || want('train')) {
  const tBuild = performance.now();
  console.error('# building bench/dist');
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
  const { build } = await import('vite');
  await build({ configFile: join(benchDir, 'vite.config.ts'), logLevel: 'error' });
  phases.push({ phase: 'build bench/dist (vite)', s: elapsed(tBuild) });
  // The lab itself (the shipped site, its own vite.config.ts) for the pipeline and curve figures.
  const wantApp = want('pipeline') || want('curve');
  if (wantApp) {
    const tApp = performance.now();
    console.error('# building the lab (vite build → bench/dist-app)');
    await buildApp();
    appBuilt = true;
    phases.push({ phase: 'build the lab bench/dist-app (vite build)', s: elapsed(tApp) });
  }
  const modelName = basename(o.model);
  const segName = basename(o.segModel);
  const srv = await startServer(join(benchDir, 'dist'), { [modelName]: o.model, [segName]: o.segModel },
    Object.fromEntries([images.big, images.small, ...images.set].map((f) => [basename(f), f])), wantApp ? appDistDir : undefined);
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
        : args.cmd === 'labVision'
          ? await b.call('labVision', { model, dtype, threads, batch: 8, seconds: secs, stockOrt: !!args.stockOrt })
          : await b.call('ortVision', { modelUrl: modelUrl(VISION[dtype]), threads, batch: 8, seconds: secs, ...args });
      const v = ips(r.run_ms, r.batch);
      await new Promise((ok) => setTimeout(ok, 250)); // one more CPU sample after the loop
      const cpuMs = cpu.cpuMsBetween(r.loop_start_epoch, r.loop_end_epoch) / r.items;
      report.add(label, v, 'img/s', { ...extra, batch: r.batch, runs: r.runs, median_img_s: medIps(r.run_ms, r.batch), gflops: Number((v * GFLOP_PER_IMAGE).toFixed(1)), cpu_ms_per_image: Math.round(cpuMs) });
      browserCpu[label] = cpuMs;
      return v;
    };

    if (wantVision) {
      await step(`wasm vs native: the lab's own vision session vs onnxruntime-node, ${cores} threads, alternating x${o.reps}`, async () => {
        // The headline pair: the session the lab runs (src/models loadImageTextModel, what
        // app/workers/clip.worker.ts loads) against onnxruntime-node on the same ONNX file and cores,
        // lab then native, repeated; each repetition's ratio is kept, the median is the headline.
        for (const d of ['fp32', 'q8'] as const) {
          const reps: Record<string, unknown>[] = (runs[`vision_${d}`] = []);
          for (let rep = 1; rep <= o.reps; rep++) {
            const load_before = loadNow();
            // alternating: the three sides rotate (lab, native, stock; native, stock, lab; ...), so none always meets a warmer machine.
            // `stock`: the lab's session on ORT's own wasm (MLAS's SGEMM kernel), a variant: what the FMA kernel gains, same run.
            const sides = ['lab', 'native', 'stock'];
            const order = sides.map((_, i) => sides[(i + rep - 1) % sides.length]);
            const n0 = native[`${d}_t${cores}`]?.length ?? 0;
            let lab = 0;
            let stock = 0;
            for (const side of order) {
              if (side === 'lab') lab = await browserVision(`browser.vision.${d}.t${cores}.lab.rep${rep}`, { cmd: 'labVision' }, d, cores, { session: 'lab: src/models loadImageTextModel + encodeImages (transformers.js 4.3.1)', rep });
              else if (side === 'stock') stock = await browserVision(`browser.vision.${d}.t${cores}.lab_stock_ort.rep${rep}`, { cmd: 'labVision', stockOrt: true }, d, cores, { session: "lab's session on ORT's own wasm (variant)", rep });
              else await nativeVision(d, cores, `paired.rep${rep}`);
            }
            const nat = native[`${d}_t${cores}`][n0];
            reps.push({ rep, order, lab_img_s: round(lab), native_img_s: round(nat), ratio: round(lab / nat, 3), stock_ort_img_s: round(stock), lab_vs_stock_ort: round(lab / stock, 3), threads: cores,
              load_before, load_after: loadNow(), noisy: load_before[0] / cores > NOISY_PER_CORE });
          }
        }
        threadsUsed.native = cores;
      });
      await step('browser: the FMA SGEMM kernel alone on one core, the shipped tile height vs 4 rows, alternating', async () => {
        // Why the shipped kernel has the rows it has (src/runtime/ort-sgemm-kernel.ts); not a headline.
        const r = await b.call<{ shipped_rows: number; M: number; K: number; N: number; gflops: Record<string, number[]> }>('sgemmTiles', { rounds: o.quick ? 6 : 10, seconds: 1 });
        for (const [k, v] of Object.entries(r.gflops)) {
          report.add(`browser.sgemm_kernel.${k}`, Math.round(median(v) * 10) / 10, 'GFLOP/s', { shipped: k === `rows_${r.shipped_rows}`, median_of: v.length, min: Math.min(...v), max: Math.max(...v), per_round: v, shape: { M: r.M, K: r.K, N: r.N }, threads: 1 });
        }
      });
      await step('browser: vision encoder variants (not headlines): transformers.js model class, raw ORT sessions', async () => {
        // --quick: none (the gap grid and these variants are full-run figures).
        if (o.quick) return;
        for (const d of ['fp32', 'q8'] as const) {
          for (const t of threadSet) {
            await browserVision(`browser.vision.${d}.t${t}.transformers`, { cmd: 'tfVision' }, d, t, { runtime: 'transformers.js 4.3.1 CLIPVisionModelWithProjection (ORT asyncify build)' });
            await browserVision(`browser.vision.${d}.t${t}.ort_plain`, { cmd: 'ortVision', flavor: 'tf-wasm' }, d, t, { runtime: 'raw onnxruntime-web session, plain (non-asyncify) wasm build' });
            // The lab's own session with one thread: its CPU time per image (load cannot shrink it).
            if (t === 1) await browserVision(`browser.vision.${d}.t1.lab`, { cmd: 'labVision' }, d, 1, { session: 'lab: src/models loadImageTextModel + encodeImages' });
          }
        }
      });
    }
    if (want('browser')) {
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
    // transformers.js's zero-shot pipeline prompts with "This is a photo of {}.": the lab gets the same template.
    const template = 'This is a photo of {}.';
    const siteUrl = `${srv.url}/app/`;
    const labFor = (files: string[], extra: Partial<Parameters<typeof runLab>[1]> = {}) =>
      runLab(b.browser, { siteUrl, hubUrl: hub, model, dtype: o.dtype, files, labels, template, ...extra });
    if (want('pipeline')) {
      const n = pipelineN;
      const files = images.set.slice(0, n);
      const urls = files.map(fileUrl);
      // batched_plain: the batched baseline on ORT's plain wasm build, the build the lab loads without WebGPU
      // (src/runtime/ort-files.ts); a variant that separates what the build gives from what the pipeline gives.
      const order = ['lab', 'naive', 'batched', 'batched_plain', ...(o.prototype ? ['prototype'] : [])];
      await step(`browser: classify ${n} images x 10 classes, the shipped lab vs transformers.js naive and batched, batched on the plain build (${o.dtype}, cold, ${order.join(', ')} x${o.reps})`, async () => {
        // Renderer CPU time over the classify part (text embeddings + images; model load excluded).
        const cpuOf = async (r: { classify_start_epoch_ms: number; end_epoch_ms: number }) => {
          await new Promise((ok) => setTimeout(ok, 250));
          return cpu.cpuMsBetween(r.classify_start_epoch_ms, r.end_epoch_ms);
        };
        const reps: Record<string, unknown>[] = (runs.pipeline = []);
        for (let rep = 1; rep <= o.reps; rep++) {
          const load_before = loadNow();
          // Rotated per repetition (lab, naive, batched; naive, batched, lab; batched, lab, naive; ...), so no
          // side always runs first on a cold machine or last after the others warmed it.
          const repOrder = order.map((_, i) => order[(i + rep - 1) % order.length]);
          const row: Record<string, unknown> = { rep, order: repOrder, images: n, load_before };
          // the baselines use the lab's thread count: one per core when the lab's page is cross-origin isolated
          const threads = info.crossOriginIsolated ? cores : 1;
          let lab: Awaited<ReturnType<typeof labFor>> | null = null;
          let naive: { classify_ms: number } | null = null;
          let batched: { classify_ms: number } | null = null;
          for (const side of repOrder) {
            if (side === 'lab') {
              // the lab as it ships: built site, real CLIP worker, UI, fresh browser context (cold)
              lab = await labFor(files);
              threadsUsed.lab = lab.threads;
              if (lab.threads !== threads) report.notes.push(`the lab ran ${lab.threads} threads, the baselines ${threads}`);
              if (!lab.cross_origin_isolated) report.notes.push('the lab page was NOT cross-origin isolated: one WASM thread');
              Object.assign(row, { lab_s: round(lab.classify_ms / 1000), lab_cpu_s: round((await cpuOf(lab)) / 1000), lab_first_result_s: round(lab.first_result_ms / 1000), lab_text_s: round(lab.text_ms / 1000),
                lab_model_ready_s: round(lab.load_ms / 1000), lab_threads: lab.threads, lab_device: lab.device, lab_dtype: lab.dtype });
            } else if (side === 'naive') {
              // transformers.js zero-shot pipeline, one call per image; cold like the lab (fresh page, fresh worker)
              const r = await b.fresh('naiveClassify', { model, dtype: o.dtype, threads, urls, labels });
              naive = r;
              Object.assign(row, { naive_s: round(r.classify_ms / 1000), naive_cpu_s: round((await cpuOf(r)) / 1000) });
            } else if (side === 'batched') {
              // the same, 8 images per call
              const r = await b.fresh('batchedClassify', { model, dtype: o.dtype, threads, urls, labels, batch: 8 });
              batched = r;
              Object.assign(row, { batched_s: round(r.classify_ms / 1000), batched_cpu_s: round((await cpuOf(r)) / 1000), batched_batch: 8 });
            } else if (side === 'batched_plain') {
              const r = await b.fresh('batchedClassify', { model, dtype: o.dtype, threads, urls, labels, batch: 8, build: 'plain' });
              Object.assign(row, { batched_plain_s: round(r.classify_ms / 1000), batched_plain_cpu_s: round((await cpuOf(r)) / 1000) });
            } else {
              // PROTOTYPE: the core pipeline in a bench worker, not the shipped worker (never a headline).
              const proto = await b.fresh('labClassify', { model, dtype: o.dtype, threads, urls, labels, batch: 8 });
              Object.assign(row, { prototype_s: round((proto.text_ms + proto.classify_ms) / 1000), prototype_text_s: round(proto.text_ms / 1000), prototype_cpu_s: round((await cpuOf(proto)) / 1000) });
            }
          }
          threadsUsed.baselines = threads;
          if (!lab || !naive || !batched) throw new Error('a side of the pipeline comparison did not run');
          const load_after = loadNow();
          Object.assign(row, { threads, naive_vs_lab: round(naive.classify_ms / lab.classify_ms, 3), batched_vs_lab: round(batched.classify_ms / lab.classify_ms, 3),
            load_after, noisy: load_before[0] / cores > NOISY_PER_CORE });
          reps.push(row);
          console.error(`  rep ${rep}: lab ${row.lab_s} s, naive ${row.naive_s} s, batched ${row.batched_s} s, batched on the plain build ${row.batched_plain_s} s${o.prototype ? `, prototype ${row.prototype_s} s` : ''} (${threads} threads, load ${load_before[0]} → ${load_after[0]})`);
        }
        const med = (k: string) => median(reps.map((r) => Number(r[k])));
        const side = (name: string, k: string, what: string) => report.add(`pipeline.${name}.${n}img.t${threadsUsed.lab}.classify_wall`, med(`${k}_s`), 's',
          { median_of: reps.length, runs_s: reps.map((r) => r[`${k}_s`]), cpu_s: round(med(`${k}_cpu_s`)), what });
        side('lab', 'lab', 'the shipped lab: built site (bench/dist-app), app/workers/clip.worker.ts, UI driven by Playwright, fresh context per run');
        side('naive', 'naive', "transformers.js pipeline('zero-shot-image-classification'), classifier(url, labels) once per image");
        side('batched', 'batched', "transformers.js pipeline('zero-shot-image-classification'), classifier(urls, labels) 8 images per call");
        side('batched_plain', 'batched_plain', "the batched baseline with ORT pointed at its plain (non-asyncify) wasm build, as the lab loads it without WebGPU");
        if (o.prototype) side('prototype', 'prototype', 'PROTOTYPE: src/pipeline/embed-images.ts in a bench worker (bench/pages/pipeline-bench.ts labClassify), not the shipped worker');
        report.add(`ttfr.lab.${o.dtype}.model_ready_cold`, med('lab_model_ready_s'), 's', { what: 'page open → model loaded (fresh context: nothing cached)' });
        report.add(`ttfr.lab.${o.dtype}.first_result_after_click`, med('lab_first_result_s'), 's', { what: 'Classify click → first batch scored (text encoding included)' });
      });
    }

    if (want('curve')) {
      const counts = [10, 30, 100, 300, 1000, 3000, 10000].filter((c) => c <= curveMax);
      if (counts[counts.length - 1] !== curveMax) counts.push(curveMax);
      const n = counts[counts.length - 1];
      await step(`browser: cost curve and memory, the shipped lab, ${n} images (${o.dtype})`, async () => {
        // The lab's renderer: the one that appears for its page; GPU and utility processes are
        // Chromium's own (shared with the bench page, idle meanwhile).
        const before = new Set((await chromeProcesses(b.browser)).filter((p) => p.type === 'renderer').map((p) => p.id));
        const mem = sampleProcessGroups(b.browser, (p) => !before.has(p.id));
        await mem.start();
        let r;
        try {
          r = await labFor(images.set.slice(0, n), { checkpoints: counts });
        } finally {
          mem.stop();
        }
        const rssAt = (epoch: number) => {
          let best = mem.samples[0];
          for (const x of mem.samples) if (x.epoch_ms <= epoch) best = x;
          return best;
        };
        for (const c of r.checkpoints) {
          const m = rssAt(c.epoch_ms);
          report.add(`curve.lab.${o.dtype}.${c.images}img`, c.ms / 1000, 's', { ms_per_image: round(c.ms / c.images), renderer_rss_mib: Math.round(m.renderer), gpu_utility_rss_mib: Math.round(m.gpu_utility) });
        }
        const whole = mem.summary();
        const run = mem.summary(r.classify_start_epoch_ms, r.end_epoch_ms);
        report.add(`memory.lab.${o.dtype}.renderer_peak.${n}img`, whole.renderer_peak_mib, 'MiB', { window: 'page open → end (model load included)', renderers: whole.renderer_pids.length });
        report.add(`memory.lab.${o.dtype}.renderer_peak_classify.${n}img`, run.renderer_peak_mib, 'MiB', { window: 'Classify click → done' });
        report.add(`memory.lab.${o.dtype}.renderer_steady.${n}img`, run.renderer_steady_mib, 'MiB', { window: 'median over the last half of the classify run', samples: run.samples, every_ms: run.every_ms });
        report.add(`memory.lab.${o.dtype}.gpu_utility_peak.${n}img`, whole.gpu_utility_peak_mib, 'MiB', { processes: whole.gpu_utility_pids.length, note: "Chromium's GPU and utility processes (shared by every page)" });
        report.add(`memory.lab.${o.dtype}.gpu_utility_steady.${n}img`, run.gpu_utility_steady_mib, 'MiB', { window: 'median over the last half of the classify run' });
        report.add(`memory.lab.${o.dtype}.total_peak.${n}img`, whole.total_peak_mib, 'MiB', { what: 'renderer + GPU + utility, summed per sample' });
        report.add(`memory.lab.${o.dtype}.total_steady.${n}img`, run.total_steady_mib, 'MiB');
        runs.curve = [{ images: n, threads: r.threads, classify_s: round(r.classify_ms / 1000), model_ready_s: round(r.load_ms / 1000), checkpoints: r.checkpoints.map((c) => ({ images: c.images, s: round(c.ms / 1000) })),
          memory: { whole_run: whole, classify: run }, load_after: loadNow() }];
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

// ---------------- Live camera (issue 17) and the embedding index (issue 18) ----------------
if (wantLive || wantIndex) {
  if (!appBuilt) {
    const tApp = performance.now();
    console.error('# building the lab (vite build → bench/dist-app)');
    await buildApp();
    appBuilt = true;
    phases.push({ phase: 'build the lab bench/dist-app (vite build)', s: elapsed(tApp) });
  }
  const modelName = basename(o.model);
  const segName = basename(o.segModel);
  const srv = await startServer(join(benchDir, 'dist'), { [modelName]: o.model, [segName]: o.segModel }, {}, appDistDir);
  const hub = `${srv.url}/hub/`;
  const siteUrl = `${srv.url}/app/`;
  const model = `bench/${modelName}`;
  const spreadOf = (v: number[]) => { const x = v.filter((y) => Number.isFinite(y)); return x.length ? { median: round(median(x)), min: round(Math.min(...x)), max: round(Math.max(...x)), n: x.length } : { median: NaN, min: NaN, max: NaN, n: 0 }; };
  try {
    if (wantLive) {
      await step(`live: processed fps and latency per frame, the shipped lab's live sections on a fake camera (${liveSecs} s windows, x${o.reps})`, async () => {
        const y4m = await live.makeClip(images.set.slice(0, 3));
        const browser = await live.launchWithCamera(y4m);
        chromiumVersion ??= browser.version();
        const labels = ['cat', 'dog', 'car', 'tree', 'house', 'boat', 'bird', 'flower', 'mountain', 'person'];
        type V = { key: string; task: 'classify' | 'segment'; model: string; dtype: 'fp32' | 'q8'; labels: string[] };
        const variants: V[] = [
          { key: 'classify.q8', task: 'classify', model, dtype: 'q8', labels },
          { key: 'segment.q8.1_prompt', task: 'segment', model: `bench/${segName}`, dtype: 'q8', labels: ['a cat'] },
          ...(o.quick ? [] : [
            { key: 'classify.fp32', task: 'classify', model, dtype: 'fp32', labels },
            { key: 'segment.fp32.1_prompt', task: 'segment', model: `bench/${segName}`, dtype: 'fp32', labels: ['a cat'] },
            { key: 'segment.q8.4_prompts', task: 'segment', model: `bench/${segName}`, dtype: 'q8', labels: ['a cat', 'a dog', 'a car', 'a tree'] },
          ] as V[]),
        ];
        const rows: Record<string, unknown>[] = (runs.live = []);
        try {
          // Alternating: every variant once per repetition, in the same order, each in a fresh context.
          for (let rep = 1; rep <= o.reps; rep++) {
            for (const v of variants) {
              const load_before = loadNow();
              let r: Awaited<ReturnType<typeof live.runLive>>;
              try {
                r = await live.runLive(browser, { task: v.task, siteUrl, hubUrl: hub, model: v.model, dtype: v.dtype, labels: v.labels, warmupS: 3, windowS: liveSecs });
              } catch (e) {
                // One failed run (e.g. no frame within the limit on a loaded machine) is noted; the others stand.
                const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
                report.notes.push(`live rep ${rep} ${v.key} failed: ${msg} (load ${load_before[0]} → ${loadNow()[0]})`);
                console.error(`  rep ${rep} ${v.key} FAILED: ${msg}`);
                rows.push({ rep, variant: v.key, failed: msg, load_before, load_after: loadNow() });
                continue;
              }
              const row = { rep, variant: v.key, processed_fps: round(r.processed_fps), latency_ms: round(r.latency_ms), latency_from: r.latency_from, latency_ui_mean_ms: round(r.latency_ui_mean_ms), interval_ms: round(r.interval_ms),
                ui_processed_fps: round(r.ui_processed_fps), camera_fps: round(r.ui_camera_fps), frames: r.frames, window_s: r.window_s, dropped: r.dropped,
                model_ready_s: round(r.model_ready_s), threads: r.threads, device: r.device, dtype: r.dtype, cross_origin_isolated: r.cross_origin_isolated,
                load_before, load_after: loadNow(), noisy: load_before[0] / cores > NOISY_PER_CORE };
              rows.push(row);
              console.error(`  rep ${rep} ${v.key}: ${row.processed_fps} fps processed (camera ${row.camera_fps}), latency ${row.latency_ms} ms, ${r.frames} frames (${r.device} ${r.dtype}, load ${load_before[0]})`);
            }
          }
        } finally {
          await browser.close();
        }
        // Also in a finally would lose nothing: every run is in runs.live; `npx tsx bench/live.ts <file.json>`
        // recomputes these results from a saved file's runs.live.
        for (const r of live.liveResults(rows)) report.add(r.name, r.value, r.unit, r.extra);
      });
    }
    if (wantIndex) {
      const dim = 512;
      await step(`index: cli embed throughput per shard (--shard 0/2 of ${2 * Math.floor(embedN)} images, q8 and fp32 alternating, x${o.reps})`, async () => {
        const list = images.set.slice(0, 2 * Math.floor(embedN));
        const rows: Record<string, unknown>[] = (runs.embed = []);
        for (let rep = 1; rep <= o.reps; rep++) {
          for (const d of ['q8', 'fp32'] as const) {
            const load_before = loadNow();
            const r = await idx.embedShard(o.model, d, list);
            rows.push({ rep, dtype: d, images: r.images, img_s: round(r.img_s), s_per_1000: round(r.s_per_1000), embed_s: round(r.embed_s), wall_s: round(r.wall_s),
              wall_s_per_1000: round(r.wall_s_per_1000), startup_s: round(r.startup_s), load_before, load_after: loadNow(), noisy: load_before[0] / cores > NOISY_PER_CORE });
            console.error(`  rep ${rep} ${d}: ${round(r.img_s)} img/s (${round(r.s_per_1000)} s per 1,000; process ${round(r.wall_s)} s, of which start + model load ${round(r.startup_s)} s; load ${load_before[0]})`);
          }
        }
        for (const d of ['q8', 'fp32']) {
          const mine = rows.filter((r) => r.dtype === d);
          if (!mine.length) continue;
          const ips = spreadOf(mine.map((r) => Number(r.img_s)));
          const per = spreadOf(mine.map((r) => Number(r.s_per_1000)));
          const wall = spreadOf(mine.map((r) => Number(r.wall_s_per_1000)));
          report.add(`index.embed.${d}.img_s`, ips.median, 'img/s', { median_of: ips.n, min: ips.min, max: ips.max, runs: mine.map((r) => r.img_s), images_per_shard: mine[0].images,
            what: "cli embed (src/cli/embed.ts) in a child process, --shard 0/2 of a list file, 480x360 JPEGs: read, sha256, decode, preprocess, encode (onnxruntime-node), Parquet parts; the CLI's own 'done' time (after the model load)" });
          report.add(`index.embed.${d}.s_per_1000`, per.median, 's', { median_of: per.n, min: per.min, max: per.max });
          report.add(`index.embed.${d}.process_s_per_1000`, wall.median, 's', { median_of: wall.n, min: wall.min, max: wall.max,
            startup_s: round(median(mine.map((r) => Number(r.startup_s)))), what: 'the whole child process (tsx start, model load, embedding) per 1,000 images of the shard' });
        }
      });
      const dirs: Record<number, string> = {};
      await step(`index: synthetic normalised ${dim}-d rows (${indexRows.join(', ')} and a 1,000-row baseline), cached in bench/.cache/index`, async () => {
        for (const n of [1000, ...indexRows]) dirs[n] = await idx.syntheticIndex(n, dim, model, 'q8');
      });
      await step(`index: search latency per query, the lab's index worker vs cli search --index (${indexRows.join(', ')} rows, x${o.reps})`, async () => {
        const link = idx.modelLink(o.model, model);
        const perRep = o.quick ? 3 : 5;
        const browser = await idx.launchBrowser();
        chromiumVersion ??= browser.version();
        const rows: Record<string, unknown>[] = (runs.search = []);
        try {
          for (const n of indexRows) {
            if (!dirs[n]) continue;
            const tag = n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);
            const s = await idx.openLabIndex(browser, { siteUrl, hubUrl: hub, model, dtype: 'q8', indexDir: dirs[n], rows: n });
            const rss = await s.rendererRssMiB();
            console.error(`  ${tag}: the lab opened ${s.rows} rows in ${round(s.import_s)} s (renderer RSS ${Math.round(rss)} MiB)`);
            const qs = idx.queries(o.reps * perRep, tag);
            const mine: Record<string, unknown>[] = [];
            try {
              for (let rep = 1; rep <= o.reps; rep++) {
                const load_before = loadNow();
                const fresh: { ms: number; rank_ms: number; text_ms: number | null }[] = [];
                const mineQs = qs.slice((rep - 1) * perRep, rep * perRep);
                for (const q of mineQs) fresh.push(await s.query(q));
                // The last two queries again, alternately (starting with the one before the last, so the box's text
                // always changes): their text embeddings are cached in the worker.
                const cached: { ms: number; rank_ms: number }[] = [];
                for (let i = 0; i < perRep; i++) cached.push(await s.query(mineQs[mineQs.length - 2 + (i % 2)]));
                const node = await idx.nodeSearch(dirs[n], link, mineQs[0]);
                const base = await idx.nodeSearch(dirs[1000], link, mineQs[0]);
                const row = { rep, rows: n, queries: perRep,
                  browser_query_ms: round(median(fresh.map((x) => x.ms))), browser_rank_ms: round(median([...fresh, ...cached].map((x) => x.rank_ms))),
                  browser_text_ms: round(median(fresh.map((x) => x.text_ms ?? NaN).filter(Number.isFinite))), browser_cached_query_ms: round(median(cached.map((x) => x.ms))),
                  browser_query_ms_all: fresh.map((x) => round(x.ms)), browser_rank_ms_all: [...fresh, ...cached].map((x) => round(x.rank_ms)),
                  node_cli_s: round(node.wall_s), node_cli_1k_baseline_s: round(base.wall_s), node_scan_s: round(node.wall_s - base.wall_s),
                  load_before, load_after: loadNow(), noisy: load_before[0] / cores > NOISY_PER_CORE };
                mine.push(row);
                rows.push(row);
                console.error(`  ${tag} rep ${rep}: lab query ${row.browser_query_ms} ms (rank ${row.browser_rank_ms} ms, text ${row.browser_text_ms} ms, cached query ${row.browser_cached_query_ms} ms); cli search --index ${row.node_cli_s} s (1k-row baseline ${row.node_cli_1k_baseline_s} s; load ${load_before[0]})`);
              }
            } finally {
              await s.close();
            }
            const add = (name: string, k: string, unit: string, extra: Record<string, unknown> = {}) => {
              const sp = spreadOf(mine.map((r) => Number(r[k])));
              report.add(name, sp.median, unit, { median_of: sp.n, min: sp.min, max: sp.max, ...extra });
            };
            add(`index.search.lab.${tag}.query_ms`, 'browser_query_ms', 'ms', { import_s: round(s.import_s), renderer_rss_mib: Math.round(rss), queries_per_rep: perRep,
              what: "the built lab's explore panel: a new query typed in index-query → hits rendered (120 ms input debounce, query embedding in the CLIP worker, ranking in app/workers/index.worker.ts, 50 hits drawn); median per repetition, median of those" });
            add(`index.search.lab.${tag}.rank_ms`, 'browser_rank_ms', 'ms', { what: 'the index worker ranking every row exactly (EmbeddingIndex.search, top 50): index-meta data-rank-ms', target_ms: 300 });
            add(`index.search.lab.${tag}.text_ms`, 'browser_text_ms', 'ms', { what: 'query embedding (CLIP worker, q8 text model), from the index-meta line' });
            add(`index.search.lab.${tag}.cached_query_ms`, 'browser_cached_query_ms', 'ms', { what: 'as query_ms for a query seen before (its embedding cached in the worker)' });
            add(`index.search.cli.${tag}.query_s`, 'node_cli_s', 's', { what: 'cli search --index (src/cli/search-index.ts: DuckDB over the Parquet parts, top 20) in a child process: tsx start, model load, query embedding, scan' });
            add(`index.search.cli.${tag}.scan_s`, 'node_scan_s', 's', { what: 'query_s minus the same command over a 1,000-row index in the same repetition (start, model load and query embedding cancel out)' });
          }
        } finally {
          await browser.close();
        }
      });
    }
  } finally {
    await srv.close();
  }
}

// ---------------- ratios ----------------
// Headlines: medians of the per-repetition ratios (`runs`), min/max beside them (`ratio_ranges`);
// raw-session and other variants apart (`variants`), never headlines.
const computed = computeRatios(report.results, cores, report.ratios, runs);
Object.assign(report.ratios, computed.ratios);
const loadEnd = os.loadavg();
const noisy = loadStart[0] / cores > NOISY_PER_CORE;
if (noisy) report.notes.push(`NOISY: the run started at load average ${round(loadStart[0], 2)} on ${cores} cores (above ${NOISY_PER_CORE} per core): other processes shared the cores`);

const elapsedS = elapsed(tStart);
const out = { machine: machine(chromiumVersion, loadStart), noisy,
  load: { start: loadStart.map((x) => round(x, 2)), end: loadEnd.map((x) => round(x, 2)), per_core_start: round(loadStart[0] / cores, 2), noisy_above_per_core: NOISY_PER_CORE },
  pipeline_source: want('pipeline') || want('curve') ? 'app' : undefined,
  threads: threadsUsed,
  options: { quick: o.quick, only: [...o.only], reps: o.reps, pipeline_images: pipelineN, curve_max: curveMax, seconds_per_figure: secs, prototype: o.prototype, model: o.model, seg_model: o.segModel, pipeline_dtype: o.dtype,
    ...(wantLive ? { live_window_s: liveSecs, live_warmup_s: 3 } : {}), ...(wantIndex ? { embed_images_per_shard: Math.floor(embedN), index_rows: indexRows } : {}), elapsed_s: elapsedS, phases },
  ratios: report.ratios, ratio_ranges: computed.ranges, variants: computed.variants, runs, results: report.results, notes: report.notes };
// With `--json -` stdout carries the JSON alone (for a pipe into jq); the table goes to stderr then.
const human = o.json === '-' ? process.stderr : process.stdout;
human.write(`${report.table(computed.ranges, computed.variants)}\n${noisy ? 'NOISY run (load above 1 per core at start)\n' : ''}`);
const phaseLines = phases.map((p) => `  ${String(p.s).padStart(7)} s  ${p.phase}`).join('\n');
human.write(`\nphases:\n${phaseLines}\ntotal elapsed: ${elapsedS} s (${(elapsedS / 60).toFixed(1)} min)\n`);
if (o.json === '-') process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
else if (o.json) {
  mkdirSync(dirname(resolve(o.json)), { recursive: true });
  writeFileSync(o.json, `${JSON.stringify(out, null, 1)}\n`);
  console.error(`wrote ${o.json}`);
}
