import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'evaluate',
  icon: 'evaluate',
  text: (m) => m.evaluate,
  load: () => import('./EvaluatePanel'),
};
