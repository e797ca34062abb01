import type { PanelDef } from '../types';

export const panel: PanelDef = {
  id: 'device',
  icon: 'bolt',
  text: (m) => m.device,
  load: () => import('./DevicePanel'),
};
