// The bench's inference worker: every command runs here, like the app's inference worker.
import { serve } from './protocol';
import { labVision, ortVision, tfVision } from './vision-bench';
import { batchedClassify, labClassify, naiveClassify } from './pipeline-bench';
import { sgemmTiles } from './kernel-bench';
import { clipsegBench, preprocessBench, searchBench, tfText, wasmFeatures } from './misc-bench';

serve({
  ortVision,
  tfVision,
  labVision,
  tfText,
  labClassify,
  naiveClassify,
  batchedClassify,
  preprocessBench,
  searchBench,
  clipsegBench,
  sgemmTiles,
  // Loaded on demand: only the train section pays for TF.js in its worker.
  async trainBench(args) {
    return (await import('./train-bench')).trainBench(args);
  },
  async info() {
    return wasmFeatures();
  },
});
