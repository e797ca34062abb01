import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'bnonly',
  icon: 'β',
  text: (m) => m.bnonly,
  load: () => import('./BnonlyPanel'),
};
