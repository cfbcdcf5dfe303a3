import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { alive, procId } from '../../../bench/drill/procs';

describe('drill: a process it started is told apart from a later one with the same pid', () => {
  it('this process is alive under its own start time', () => {
    assert.equal(alive(procId(process.pid)), true);
  });
  it('a pid given out again (the counter wrapped in a long CI run) is not the process the drill started', () => {
    // The same pid with another start time: what a reused pid looks like.
    const me = procId(process.pid);
    if (me.start === undefined) return; // no /proc here: only the kill(pid, 0) fallback exists
    assert.equal(alive({ pid: process.pid, start: String(Number(me.start) + 1) }), false);
  });
  it('an ended process is not alive', () => {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    assert.equal(alive(procId(Number(r.stdout))), false);
  });
});
