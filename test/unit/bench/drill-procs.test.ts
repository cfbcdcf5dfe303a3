import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  it('an ended process not yet reaped (a zombie) is not alive (the Collector daemon waited as one after its stop; CI failed on it)', async () => {
    // `sleep 0` ends at once; its parent execs into `sleep 2`, which never waits for it.
    const sh = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 2'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((resolve) => sh.stdout.once('data', (d: Buffer) => resolve(String(d).trim()))));
    await new Promise((r) => setTimeout(r, 300));
    const z = procId(pid);
    try {
      if (z.start === undefined) return; // no /proc here
      assert.equal(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0], 'Z', 'the setup made no zombie');
      assert.equal(alive(z), false);
    } finally {
      sh.kill();
    }
  });
  it('an ended process is not alive', () => {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    assert.equal(alive(procId(Number(r.stdout))), false);
  });
});
