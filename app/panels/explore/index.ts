import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'explore',
  icon: 'explore',
  text: (m) => m.explore,
  load: () => import('./ExplorePanel'),
};
