import { Command, CommanderError } from 'commander';
import { packageVersion } from '../app/paths';
import { isEpicenterError, type EpicenterError } from '../errors';
import { commands } from './commands';

/**
 * Exit statuses (README "Commands"): 0 done; 2 bad usage, bad input or configuration (including a
 * file with nothing usable in it); 1 any other failure; 3 some records rejected, the rest used.
 */
export const EXIT_USAGE = 2;

/** Entry point of the `epicenter` CLI: each command lives in ./commands/<name>.ts and registers itself. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('epicenter')
    .description('Find trend breakpoints in telemetry and name the change that caused them.')
    .showHelpAfterError()
    // Commander exits 1 on bad usage; we throw instead and map it to 2 in main (subcommands inherit this).
    .exitOverride()
    .version(packageVersion());
  for (const register of commands) register(program);
  return program;
}

function exitCodeOf(e: EpicenterError): number {
  return ['BAD_CONFIG', 'BAD_INPUT', 'BAD_REQUEST', 'NOT_FOUND'].includes(e.code) ? EXIT_USAGE : 1;
}

/** A reader that went away (`epicenter detect … | head -1`) is not an error: stop quietly. */
function quietOnClosedPipe(): void {
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}

/** Runs the CLI once; never throws: errors become one line on stderr and an exit status. */
export async function main(argv: readonly string[]): Promise<void> {
  quietOnClosedPipe();
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed the message (and the help); --help and --version end with 0.
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
    } else if (isEpicenterError(e)) {
      process.stderr.write(`epicenter: ${e.code}: ${e.describe()}\n`);
      process.exitCode = exitCodeOf(e);
    } else {
      const err = e as NodeJS.ErrnoException;
      // System errors (EACCES, ENOSPC…) are the user's to fix: one line. Anything else is a bug: keep the stack.
      process.stderr.write(typeof err.code === 'string' && err.syscall !== undefined ? `epicenter: ${err.code}: ${err.message}\n` : `epicenter: ${err.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  }
}
