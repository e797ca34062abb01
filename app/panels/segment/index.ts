import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'segment',
  icon: 'segment',
  text: (m) => m.segment,
  load: () => import('./SegmentPanel'),
};
