/**
 * Trainable / total counts for the form, from the core's architecture (shapes only: generating the random weights
 * of a ResNet-110-64 on the main thread just to count them would freeze the page). The worker's numbers, from
 * the core's own countTrainable, are the ones shown for a run.
 */
import { architecture } from '../../../src/bnonly/resnet';
import { groupSizes, MODES, trainableCount, type Mode } from '../../../src/bnonly/modes';

interface Counts {
  total: number;
  byMode: Record<Mode, number>;
}

export function paramCounts(depth: number, width: number, inChannels: number, classes = 10): Counts | null {
  let arch;
  try {
    arch = architecture({ depth, width, inChannels, numClasses: classes });
  } catch {
    return null;
  }
  const sizes = groupSizes(arch);
  return {
    total: sizes.conv + sizes.bn + sizes.output,
    byMode: Object.fromEntries(MODES.map((mode) => [mode, trainableCount(mode, sizes)])) as Record<Mode, number>,
  };
}
