/** `--model` for the CLI: a model folder, a Hub-layout URL (`http://host/org/name`) or a Hub id. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModelSource } from '../runtime/model-source';

const HUB_ID = /^[\w.-]+\/[\w.-]+$|^[\w.-]+$/;

export function parseModelArg(arg: string): ModelSource | { error: string } {
  if (statSync(arg, { throwIfNoEntry: false })?.isDirectory()) return { kind: 'path', path: resolve(arg) };
  const url = /^(https?:\/\/.+?)\/([\w.-]+\/[\w.-]+)\/?$/.exec(arg);
  if (url) return { kind: 'url', baseUrl: url[1], id: url[2] };
  if (HUB_ID.test(arg) && !arg.includes('..')) return { kind: 'hub', id: arg };
  return { error: `--model ${arg}: not a folder, a Hub id (org/name) or a URL in Hub layout (http://host/org/name)` };
}
