/**
 * Trainable / total counts for the form, from the core's architecture (shapes only: generating the random weights
 * of a ResNet-110-64 on the main thread just to count them would freeze the page). The worker's numbers, from
 * the core's own countTrainable, are the ones shown for a run.
 */
import { architecture } from '../../../src/bnonly/resnet';
import type { Mode } from '../../../src/bnonly/modes';

export interface Counts {
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
  const conv = arch.convs.reduce((s, c) => s + c.k * c.k * c.cin * c.cout, 0);
  const bn = arch.bns.reduce((s, b) => s + 2 * b.channels, 0);
  const fc = arch.fcIn * classes + classes;
  // random2: 2 weights per output channel of every conv; every conv has its own BN, so as many as bn.
  const random2 = 2 * arch.convs.reduce((s, c) => s + c.cout, 0);
  return { total: conv + bn + fc, byMode: { full: conv + bn + fc, bn, 'bn+output': bn + fc, output: fc, random2 } };
}
