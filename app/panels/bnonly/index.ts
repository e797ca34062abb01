import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'bnonly',
  icon: 'bnonly',
  text: (m) => m.bnonly,
  load: () => import('./BnonlyPanel'),
};
