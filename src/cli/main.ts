/**
 * The lab's command line: `npm run -s cli -- <command> ...`. Each command lives in
 * src/cli/<command>.ts and exports `run(argv): Promise<number>` (the exit code); modules load
 * lazily so one command never pays for another's imports.
 */

// Library logs go to stderr: stdout carries only a command's output (e.g. its --json summary).
console.log = console.info = console.warn = (...a: unknown[]) => console.error(...a);

type Command = () => Promise<{ run(argv: string[]): Promise<number> }>;

const COMMANDS: Record<string, Command> = {
  classify: () => import('./classify'),
  preprocess: () => import('./preprocess'),
  search: () => import('./search'),
  segment: () => import('./segment'),
  bnonly: () => import('./bnonly'),
  avh: () => import('./avh'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(`${name ? `unknown command "${name}". ` : ''}usage: cli <${Object.keys(COMMANDS).join('|')}> [options]`);
    return 1;
  }
  return (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
