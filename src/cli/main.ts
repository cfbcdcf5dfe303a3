import { Command } from 'commander';
import { isEpicenterError } from '../errors';
import { commands } from './commands';

/** Entry point of the `epicenter` CLI: each command lives in ./commands/<name>.ts and registers itself. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('epicenter')
    .description('Find trend breakpoints in telemetry and name the change that caused them.')
    .showHelpAfterError()
    .version(process.env['npm_package_version'] ?? '0.1.0');
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (isEpicenterError(e)) {
      process.stderr.write(`epicenter: ${e.code}: ${e.describe()}\n`);
      process.exitCode = e.code === 'BAD_CONFIG' || e.code === 'BAD_INPUT' ? 2 : 1;
    } else {
      process.stderr.write(`epicenter: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  }
}

if (require.main === module || process.argv[1]?.endsWith('epicenter.js') === true) {
  void main(process.argv);
}
