// The bench's inference worker: every command runs here, like the app's inference worker.
import { serve } from './protocol';
import { ortVision, tfVision } from './vision-bench';
import { labClassify, naiveClassify } from './pipeline-bench';
import { clipsegBench, preprocessBench, searchBench, tfText, wasmFeatures } from './misc-bench';

serve({
  ortVision,
  tfVision,
  tfText,
  labClassify,
  naiveClassify,
  preprocessBench,
  searchBench,
  clipsegBench,
  async info() {
    return wasmFeatures();
  },
});
