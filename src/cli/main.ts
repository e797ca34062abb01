/**
 * The lab's command line: `npm run -s cli -- <command> ...`. Each command lives in
 * src/cli/<command>.ts and exports `run(argv): Promise<number>` (the exit code); modules load
 * lazily so one command never pays for another's imports.
 *
 * Exit codes, every command: 0 done, 1 usage, model or config error (one line, no stack trace),
 * 2 some inputs failed, 130 / 143 interrupted by SIGINT / SIGTERM.
 */

// Library logs go to stderr: stdout carries only a command's output (e.g. its --json summary).
console.log = console.info = console.warn = (...a: unknown[]) => console.error(...a);

// SIGINT / SIGTERM end the process at once, whatever is in flight (a model run, a read): no
// cleanup is worth a hang. The handler runs on the event loop, and no read here blocks it (inputs
// are stat'ed first, see read-input.ts).
for (const [sig, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(sig, () => {
    process.stderr.write(`\ncli: interrupted (${sig})\n`);
    process.exit(code);
  });
}

type Command = () => Promise<{ run(argv: string[]): Promise<number> }>;

const COMMANDS: Record<string, Command> = {
  classify: () => import('./classify'),
  preprocess: () => import('./preprocess'),
  search: () => import('./search'),
  embed: () => import('./embed'),
  segment: () => import('./segment'),
  bnonly: () => import('./bnonly'),
  avh: () => import('./avh'),
  labelissues: () => import('./labelissues'),
  evaluate: () => import('./evaluate'),
};

/** Errors whose message is written for the user: printed as one line, never with a stack. */
const USER_ERRORS = new Set(['PreprocessorConfigError', 'ModelLoadError', 'ImageInputError', 'InputFileError', 'DatasetFormatError', 'NpyError', 'DownloadError']);

function modelArg(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model') return argv[i + 1];
    if (argv[i].startsWith('--model=')) return argv[i].slice(8);
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(`${name ? `unknown command "${name}". ` : ''}usage: cli <${Object.keys(COMMANDS).join('|')}> [options]`);
    return 1;
  }
  try {
    return await (await load()).run(rest);
  } catch (err) {
    if (err instanceof Error && USER_ERRORS.has(err.name)) {
      let msg = err.message.split('\n')[0];
      // Name the model's own file when the message names only "preprocessor_config.json".
      const model = modelArg(rest);
      if (err.name === 'PreprocessorConfigError' && model) msg = msg.replace(/^preprocessor_config\.json:/, `${model.replace(/\/+$/, '')}/preprocessor_config.json:`);
      console.error(`${name}: ${msg}`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A bug, not a user error: the stack helps whoever reports it; CLI_DEBUG is not needed for it.
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
