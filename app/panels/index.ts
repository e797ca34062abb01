import type { PanelDef } from './types';
import { panel as clip } from './clip';
import { panel as explore } from './explore';
import { panel as segment } from './segment';
import { panel as bnonly } from './bnonly';
import { panel as hardness } from './hardness';
import { panel as device } from './device';
import { panel as evaluate } from './evaluate';

/** Every panel of the lab, in tab order. Adding a panel: a folder with an index.ts, one line here. */
export const panels: PanelDef[] = [clip, explore, segment, bnonly, hardness, device, evaluate];
export type { PanelDef, PanelText } from './types';
