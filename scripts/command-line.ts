/**
 * The command lines' arguments, read one way: `--help` (or `-h`) prints the usage and exits 0;
 * an unknown or malformed flag prints what was wrong and the usage on stderr and exits 2 (the
 * shell's "misused" code), instead of node:util's stack trace (ERR_PARSE_ARGS_UNKNOWN_OPTION).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Prints `message` and the usage on stderr and exits 2: for a flag whose value is wrong. */
export function usageError(usage: string, message: string): never {
  console.error(`error: ${message}\n\n${usage.trim()}`);
  process.exit(2);
}

export function parseCommandLine<O extends Options>(usage: string, options: O, args: string[] = process.argv.slice(2)) {
  exitQuietlyWhenOutputCloses();
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    // parseArgs' own messages name the flag (Unknown option '--jsn'); the usage says what exists.
    usageError(usage, error instanceof Error ? error.message : String(error));
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage.trim());
    process.exit(0);
  }
  return parsed as ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>>;
}

/**
 * `npm run ask -- … | head -1` closes stdout early; the next write then fails with EPIPE, an
 * unhandled 'error' event and a stack trace. The reader has what it wanted: end quietly.
 */
function exitQuietlyWhenOutputCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
