/** The BatchNorm-only demo: a short run on the bundled Fashion-MNIST subset (no download). */
import { DEFAULT_DRAFT, useBnonly } from '../stores/bnonly';

/** ResNet-8 (width 16): all weights vs BatchNorm only vs output layer only, 200 SGD steps. */
export const BNONLY_DEMO = { ...DEFAULT_DRAFT, modes: ['full', 'bn', 'output'] as typeof DEFAULT_DRAFT.modes, steps: 200, evalEvery: 25, testSize: 1000 };

export async function runBnonlyDemo(): Promise<void> {
  location.hash = '#/bnonly';
  const s = useBnonly.getState();
  await s.init();
  if (useBnonly.getState().activeId) return; // a run is already training: show it
  s.setDraft(structuredClone(BNONLY_DEMO));
  await useBnonly.getState().start();
}
