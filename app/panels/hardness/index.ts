import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'hardness',
  icon: '∠',
  text: (m) => m.hardness,
  load: () => import('./HardnessPanel'),
};
