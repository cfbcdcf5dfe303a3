import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeIncident, type Truth } from '../../../bench/otel/generate';
import { loadChangeFiles, loadMetricFiles, loadTopologyFile } from '../../../src/cli/io';
import { classifyGolden } from '../../../src/correlate';

describe('bench otel: the second generator writes valid inputs a user would hand to analyze', () => {
  let dir = '';
  const seen = new Map<string, Truth>();
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otel-gen-'));
    // Enough seeds to meet every naming and mechanism.
    for (let seed = 1; seed <= 40; seed++) {
      const t = writeIncident(seed, dir);
      seen.set(`${t.style} ${t.mechanism}`, t);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('covers every naming and mechanism in 40 seeds', () => {
    for (const s of ['semconv', 'old', 'rpc', 'prom']) assert.ok([...seen.keys()].some((k) => k.startsWith(`${s} `)), s);
    for (const m of ['canary', 'rolling', 'config', 'pool']) assert.ok([...seen.keys()].some((k) => k.endsWith(` ${m}`)), m);
  });

  it('every file decodes with nothing rejected; the cause is in the change log; request counts read as traffic and failures', () => {
    for (const t of seen.values()) {
      const m = loadMetricFiles([join(t.dir, 'metrics.ndjson')]);
      assert.equal(m.rejected.length, 0, `${t.seed}: ${m.rejected[0]?.message ?? ''}`);
      const c = loadChangeFiles([join(t.dir, 'changes.ndjson')]);
      assert.equal(c.rejected.length, 0);
      assert.ok(c.changes.some((x) => x.id === t.cause));
      assert.equal(loadTopologyFile(join(t.dir, 'topology.yaml')).rejected.length, 0);
      const counts = m.samples.filter((s) => /[._]count$/.test(s.series.metric) && s.series.service === t.service);
      assert.ok(counts.length > 0, `${t.seed}: no request counts`);
      assert.ok(counts.every((s) => ['traffic', 'errors'].includes(classifyGolden(s.series.metric, s.series.labels).signal)), `${t.seed} ${t.style}`);
    }
  });

  it('is deterministic per seed', () => {
    const again = mkdtempSync(join(tmpdir(), 'otel-gen-'));
    try {
      const a = writeIncident(7, dir);
      const b = writeIncident(7, again);
      assert.equal(readFileSync(join(a.dir, 'metrics.ndjson'), 'utf8'), readFileSync(join(b.dir, 'metrics.ndjson'), 'utf8'));
      assert.equal(readFileSync(join(a.dir, 'changes.ndjson'), 'utf8'), readFileSync(join(b.dir, 'changes.ndjson'), 'utf8'));
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });
});
