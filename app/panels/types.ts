import type { ComponentType } from 'react';
import type { Messages } from '../i18n';
import type { IconName } from '../components/Icon';

/** The paper summary every panel opens with (strings from its i18n namespace). */
export interface PanelText {
  title: string;
  paper: string;
  intro: string;
  headline: string;
}

/** A panel = a folder under app/panels/ exporting one of these from its index.ts. */
export interface PanelDef {
  /** URL hash (#/id) and test id */
  id: string;
  /** its tab's SVG icon (app/components/Icon.tsx) */
  icon: IconName;
  text(m: Messages): PanelText;
  /** lazy so each panel's code (and its ML libraries) loads only when opened */
  load(): Promise<{ default: ComponentType }>;
}
