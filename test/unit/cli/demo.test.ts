import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../../src/app/demo';
import { runSimulateCommand } from '../../../src/cli/commands/simulate';
import { parseConfig } from '../../../src/config/load';
import { isEpicenterError } from '../../../src/errors';
import { parseTruthJson } from '../../../src/sim';

describe('cli: one truth.json format, simulate → demo', function () {
  this.timeout(120_000);
  let out = '';
  let dir = '';
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'epicenter-truth-'));
    [dir] = runSimulateCommand({ out, seed: '5', mechanism: 'fd_leak', services: '8', quiet: true }) as [string];
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('simulate writes the service in trouble as `service` (it wrote `victim`, which demo read as undefined)', () => {
    const file = join(dir, 'truth.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.equal(typeof raw['service'], 'string');
    assert.equal(raw['victim'], undefined);
    const t = parseTruthJson(readFileSync(file, 'utf8'), file);
    assert.equal(t.service, raw['service']);
    assert.equal(typeof t.cause?.id, 'string');
  });

  it('a truth.json without `service` is refused naming the file and the field', () => {
    assert.throws(
      () => parseTruthJson(JSON.stringify({ victim: 'a', at: 1, windowMs: 1, afterMs: 0 }), 'x/truth.json'),
      (e) => isEpicenterError(e) && e.code === 'BAD_INPUT' && /^x\/truth\.json: service: /.test(e.describe()),
    );
  });

  it('demo --dir <simulate output> analyses the right service and names the planted cause (was "undefined: analysis", the wrong change)', async () => {
    const r = await runDemo({ cfg: parseConfig({}), dir });
    try {
      const t = parseTruthJson(readFileSync(join(dir, 'truth.json'), 'utf8'), 'truth.json');
      assert.equal(r.analysis.service, t.service);
      assert.equal(r.analysis.suspects[0]?.id, t.cause?.id);
    } finally {
      await r.close();
    }
  });

  it('demo --dir reads a metrics file longer than one string can hold in pieces (the 630 MB of simulate --services 1000 was refused), to the same analysis', async () => {
    const [whole, pieces] = [await runDemo({ cfg: parseConfig({}), dir }), await runDemo({ cfg: parseConfig({}), dir, readLimits: { oneText: 1000, piece: 64 * 1024 } })];
    try {
      assert.equal(pieces.summary.points, whole.summary.points);
      assert.deepEqual(pieces.summary.deadLetters, []);
      assert.deepEqual(pieces.analysis.suspects.map((x) => [x.id, x.score]), whole.analysis.suspects.map((x) => [x.id, x.score]));
    } finally {
      await Promise.all([whole.close(), pieces.close()]);
    }
  });

  it('demo --dir uses the metrics.yaml simulate writes for a shop\'s own metric names (the planted cause scored under 1 %, 98 % with analyze --metric-names)', async () => {
    const [own] = runSimulateCommand({ out, seed: '502', varied: true, quiet: true }) as [string];
    assert.ok(existsSync(join(own, 'metrics.yaml')));
    const r = await runDemo({ cfg: parseConfig({}), dir: own });
    try {
      assert.equal(r.analysis.suspects[0]?.id, r.incident.cause?.id);
      assert.ok((r.analysis.suspects[0]?.score ?? 0) > 0.5, String(r.analysis.suspects[0]?.score));
    } finally {
      await r.close();
    }
  });

  it('the served links follow the port actually bound when http.publicUrl is left at its default, and keep it when set', async () => {
    for (const [http, expect] of [
      [{ port: 0 }, (addr: string) => `http://${addr}`],
      [{ port: 0, publicUrl: 'https://epicenter.example.com' }, () => 'https://epicenter.example.com'],
    ] as const) {
      const r = await runDemo({ cfg: parseConfig({ http }), dir });
      try {
        const h = await r.serve();
        assert.notEqual(h.address.split(':').pop(), '8080');
        assert.equal(h.publicUrl, expect(h.address));
        const res = await fetch(`http://${h.address}/v1/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ service: r.incident.service, at: new Date(r.incident.at).toISOString() }) });
        const body = (await res.json()) as { timelineUrl: string };
        assert.ok(body.timelineUrl.startsWith(`${expect(h.address)}/v1/timeline?`), body.timelineUrl);
      } finally {
        await r.close();
      }
    }
  });
});
