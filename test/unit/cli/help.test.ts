import assert from 'node:assert/strict';
import { Command } from 'commander';
import { commands } from '../../../src/cli/commands';

/** `snapshot|whatif|replay --help` showed `(default: ["config/default.yaml"])`, a JSON array, where every other command says `(default: config/default.yaml)`. */
describe('cli: --help', () => {
  it('every command names its --config default the same way, never as a JSON array', () => {
    const program = new Command('epicenter');
    for (const register of commands) register(program);
    for (const cmd of program.commands) {
      const help = cmd.helpInformation();
      assert.doesNotMatch(help, /default: \[/, `${cmd.name()} --help`);
      if (/--config/.test(help)) assert.match(help.replace(/\s+/g, ' '), /\(default: config\/default\.yaml\)/, `${cmd.name()} --help`);
    }
  });
});
