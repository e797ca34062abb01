import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'clip',
  icon: 'clip',
  text: (m) => m.clip,
  load: () => import('./ClipPanel'),
};
