import type { Command } from 'commander';
import { registerAnalyze } from './analyze';
import { registerDemo } from './demo';
import { registerDetect } from './detect';
import { registerReplay } from './replay';
import { registerRun } from './run';
import { registerSimulate } from './simulate';
import { registerSnapshot } from './snapshot';
import { registerTimeline } from './timeline';
import { registerWatchK8s } from './watch-k8s';
import { registerWhatIf } from './whatif';

/** Every CLI command registers itself on the program. Add new commands here. */
export type Register = (program: Command) => void;

export const commands: Register[] = [registerRun, registerTimeline, registerAnalyze, registerSimulate, registerDetect, registerDemo, registerWatchK8s, registerSnapshot, registerWhatIf, registerReplay];
