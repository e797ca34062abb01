import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'hardness',
  icon: 'hardness',
  text: (m) => m.hardness,
  load: () => import('./HardnessPanel'),
};
