import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startHttp } from '../../../src/app/http';
import { metricRulesOf } from '../../../src/app/metric-names';
import { parseConfig } from '../../../src/config/load';
import type { Topology } from '../../../src/domain/types';
import { EpicenterError } from '../../../src/errors';
import { MemoryStore } from '../../../src/store/memory';
import { at, change, MIN, series } from '../correlate/helpers';

const dir = mkdtempSync(join(tmpdir(), 'epicenter-names-'));
const file = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const SHOP = file('shop.yaml', 'metrics:\n  - match: /_p99_ms$/\n    signal: latency\n');

describe('analysis.metricNamesFile: a shop\'s own metric names in every analysis', () => {
  it('reads the rules of the file the config names, and the bundled ones when unset', () => {
    assert.deepEqual(metricRulesOf(parseConfig({ analysis: { metricNamesFile: SHOP } })), [{ match: '/_p99_ms$/', signal: 'latency' }]);
    assert.ok(metricRulesOf(parseConfig({})).length > 0);
  });

  it('a rule that does not decode stops start-up, naming the key, the file and the line', () => {
    const bad = file('bad.yaml', 'metrics:\n  - match: x\n    signal: latency\n  - match: y\n    signal: slowness\n');
    assert.throws(() => metricRulesOf(parseConfig({ analysis: { metricNamesFile: bad } })), (e: unknown) => {
      assert.ok(e instanceof EpicenterError && e.code === 'BAD_CONFIG');
      assert.match(e.message, /analysis\.metricNamesFile/);
      assert.equal(e.origin.file, bad);
      assert.equal(e.origin.line, 5);
      return true;
    });
  });

  // The HTTP API (and so Slack and the timeline links) analysed with no rules at all: a burst of
  // a shop-named latency after a change was no evidence there, while `epicenter analyze` saw it.
  it('POST /v1/analyze reads a shop-named latency burst as evidence', async () => {
    const topology: Topology = { services: [{ name: 'web', team: 'web', dependsOn: ['search'], limits: {} }, { name: 'search', team: 'search', dependsOn: [], limits: {} }] };
    const store = new MemoryStore();
    const page = at('14:00');
    const burst = series('search', 'search_api_p99_ms', {}, (t) => (t >= at('13:56') && t < at('13:59') ? 900 : 40), { from: at('13:00'), to: page + MIN, noise: 1 });
    await store.insertPoints(burst.points.map((p) => ({ series: burst.series, t: p.t, v: p.v })));
    await store.insertChanges([change('search-infra', 'search', 'infra', at('13:55')), change('web-flag', 'web', 'flag', at('13:55'))]);
    const ask = async (metricNamesFile?: string): Promise<number> => {
      const cfg = parseConfig({ http: { port: 0 }, analysis: metricNamesFile === undefined ? {} : { metricNamesFile } });
      const h = await startHttp({ cfg, store, topology, changes: store, log: pino({ level: 'silent' }) });
      try {
        const r = await fetch(`http://${h.address}/v1/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ service: 'web', at: page, window: '1h', after: 0 }) });
        const body = (await r.json()) as { suspects: { id: string; score: number }[] };
        return body.suspects.find((s) => s.id === 'search-infra')?.score ?? 0;
      } finally {
        await h.close();
      }
    };
    const withRules = await ask(SHOP);
    const without = await ask(file('none.yaml', 'metrics: []\n'));
    assert.ok(withRules > without + 0.2, `with the shop's rules ${withRules}, without ${without}`);
  });
});
