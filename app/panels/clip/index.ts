import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'clip',
  icon: '◉',
  text: (m) => m.clip,
  load: () => import('./ClipPanel'),
};
