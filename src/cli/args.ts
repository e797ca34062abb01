/**
 * A tiny flag parser over Node's util.parseArgs: `--name value`, `--name=value`, booleans,
 * positionals, `--` to end flags. Errors come back as one message for the usage line (exit 1).
 */
import { parseArgs } from 'node:util';

export type FlagSpec = Record<string, 'string' | 'boolean'>;

export type Parsed<S extends FlagSpec> = {
  flags: { [K in keyof S]?: S[K] extends 'string' ? string : boolean };
  positionals: string[];
};

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * util.parseArgs reads `--steps -5` as a flag followed by an unknown short option ("argument is
 * ambiguous"). A value that looks like a negative number is a value: join it as `--steps=-5`, so
 * the command itself can reject it with a reason.
 */
export function joinNegativeValues(argv: readonly string[], stringFlags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && stringFlags.includes(a.slice(2)) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** util.parseArgs's long messages, cut to the part a user needs. */
export function shortParseError(e: unknown): string {
  const msg = (e as Error).message;
  const unknown = /Unknown option '([^']+)'/.exec(msg);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(msg);
  if (missing) return `${missing[1]} needs a value`;
  const ambiguous = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument is ambiguous/.exec(msg);
  if (ambiguous) return `${ambiguous[1]} needs a value (to give one that starts with a dash, write ${ambiguous[1]}=-value)`;
  const unexpected = /Unexpected argument '([^']+)'/.exec(msg);
  if (unexpected) return `unexpected argument ${unexpected[1]}`;
  return msg.split('\n')[0];
}

export function parseFlags<S extends FlagSpec>(argv: string[], spec: S): Parsed<S> | { error: string } {
  const options = Object.fromEntries(Object.entries(spec).map(([k, type]) => [k, { type }]));
  const strings = Object.entries(spec).filter(([, t]) => t === 'string').map(([k]) => k);
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, strings), options, allowPositionals: true, strict: true });
    for (const [k, type] of Object.entries(spec)) {
      const v = (values as Record<string, unknown>)[k];
      if (type === 'string' && v !== undefined && (v === '' || String(v).startsWith('--'))) {
        return { error: `--${k} needs a value` };
      }
    }
    return { flags: values as Parsed<S>['flags'], positionals };
  } catch (e) {
    return { error: shortParseError(e) };
  }
}
