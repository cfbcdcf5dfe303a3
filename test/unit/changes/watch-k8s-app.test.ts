import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { runWatchK8s } from '../../../src/app/watch-k8s';
import { decodeCloudEvents } from '../../../src/formats';

describe('watch-k8s --replay: a recorded stream to CloudEvents NDJSON', () => {
  it('writes every change as a CloudEvent that decodes back (what `analyze --changes` reads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wk8s-'));
    try {
      const out = join(dir, 'k8s.ndjson');
      const r = await runWatchK8s({ replay: join(__dirname, 'fixtures', 'k8s-story.jsonl'), cluster: 'prod', out }, pino({ level: 'silent' }), Promise.resolve());
      assert.equal(r.changes, 6);
      const d = decodeCloudEvents(readFileSync(out, 'utf8'), { file: out });
      assert.deepEqual(d.errors, []);
      assert.deepEqual(d.values.map((c) => c.type), ['config', 'deploy', 'scale', 'scale', 'rollback', 'config']);
      assert.equal(d.values[0]?.source, 'k8s/prod');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file is a BAD_INPUT naming it', async () => {
    await assert.rejects(runWatchK8s({ replay: '/nonexistent/w.jsonl', out: '/dev/null' }, pino({ level: 'silent' }), Promise.resolve()), /cannot read \/nonexistent\/w.jsonl/);
  });
});
