import type { Command } from 'commander';
import { registerRun } from './run';
import { registerTimeline } from './timeline';

/** Every CLI command registers itself on the program. Add new commands here. */
export type Register = (program: Command) => void;

export const commands: Register[] = [registerRun, registerTimeline];
