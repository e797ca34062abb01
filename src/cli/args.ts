/**
 * A tiny flag parser over Node's util.parseArgs: `--name value`, `--name=value`, booleans,
 * positionals, `--` to end flags. Errors come back as one message for the usage line.
 */
import { parseArgs } from 'node:util';

export type FlagSpec = Record<string, 'string' | 'boolean'>;

export type Parsed<S extends FlagSpec> = {
  flags: { [K in keyof S]?: S[K] extends 'string' ? string : boolean };
  positionals: string[];
};

export function parseFlags<S extends FlagSpec>(argv: string[], spec: S): Parsed<S> | { error: string } {
  const options = Object.fromEntries(Object.entries(spec).map(([k, type]) => [k, { type }]));
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    for (const [k, type] of Object.entries(spec)) {
      const v = (values as Record<string, unknown>)[k];
      if (type === 'string' && v !== undefined && (v === '' || String(v).startsWith('--'))) {
        return { error: `--${k} needs a value` };
      }
    }
    return { flags: values as Parsed<S>['flags'], positionals };
  } catch (e) {
    // util.parseArgs messages are long and mention "strict": keep the part a user needs.
    const msg = (e as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) return { error: `unknown option ${unknown[1]}` };
    const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(msg);
    if (missing) return { error: `${missing[1]} needs a value` };
    return { error: msg.split('\n')[0] };
  }
}
