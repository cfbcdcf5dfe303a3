import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeIncident, type Incident } from '../../../bench/blind/generate';
import { loadChangeFiles, loadMetricFiles, loadTopologyFile } from '../../../src/cli/io';

// Small incidents (5–9 MB of metrics): a caller's config (c), a rolling release (b), no trace (e).
const SEEDS = [53, 16, 25];

describe('bench blind: the independent generator writes valid inputs a user would hand to analyze', () => {
  let dir = '';
  const incidents: Incident[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'blind-gen-'));
    for (const seed of SEEDS) incidents.push(writeIncident(seed, dir));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every file decodes with nothing rejected; the culprit is in the change log; the paged service has series in the history', () => {
    for (const { truth: t, dir: d } of incidents) {
      const m = loadMetricFiles([join(d, 'metrics.ndjson')]);
      assert.equal(m.rejected.length, 0, `${t.seed}: ${m.rejected[0]?.message ?? ''}`);
      const c = loadChangeFiles([join(d, 'changes.ndjson')]);
      assert.equal(c.rejected.length, 0, `${t.seed}`);
      const cause = c.changes.find((x) => x.id === t.cause);
      assert.ok(cause, `${t.seed}: culprit not in the change log`);
      assert.equal(cause.service, t.causeService);
      assert.equal(cause.type, t.causeType);
      assert.equal(cause.time, Date.parse(t.causeTime));
      assert.equal(loadTopologyFile(join(d, 'topology.yaml')).rejected.length, 0);
      const page = Date.parse(t.page_time);
      const paged = m.samples.filter((s) => s.series.service === t.paged);
      assert.ok(paged.length > 0, `${t.seed}: no series of ${t.paged}`);
      assert.ok(paged.every((s) => s.t <= page + 1000 && s.t >= page - (t.historyMin * 60 + t.step) * 1000 - 1000), `${t.seed}: samples outside the history`);
    }
  });

  it('truth is consistent with the files', () => {
    assert.deepEqual(incidents.map((i) => i.truth.scenario), ['c', 'b', 'e']);
    for (const { truth: t, dir: d, bytes } of incidents) {
      const page = Date.parse(t.page_time);
      const lead = page - Date.parse(t.causeTime);
      assert.ok(lead >= 119e3 && lead <= 601e3, `${t.seed}: the page comes 2–10 min after the culprit`);
      assert.ok([10, 15, 30, 60].includes(t.step) && t.historyMin >= 30 && t.historyMin <= 120);
      assert.ok(bytes < 28e6, `${t.seed}: ${bytes} bytes`);
      assert.equal(t.expectLowScore, t.scenario === 'e');
      const events = readFileSync(join(d, 'changes.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; time: string });
      assert.equal(events.length, t.nChanges);
      const ids = new Set(events.map((e) => e.id));
      assert.ok(t.closeChanges.every((id) => ids.has(id)), `${t.seed}: a close change missing`);
      assert.ok(events.every((e) => Date.parse(e.time) <= page), `${t.seed}: a change after the page`);
      if (t.scenario !== 'e') assert.ok(t.visibleAtPaged.latRatio >= 1.3 || t.visibleAtPaged.errDelta >= 0.01, `${t.seed}: trouble not visible at the paged service`);
      const topo = readFileSync(join(d, 'topology.yaml'), 'utf8');
      assert.ok(topo.includes(`- name: ${t.paged}\n`) && topo.includes(`- name: ${t.causeService}\n`));
      assert.equal(topo.includes('dependsOn'), t.topology !== 'none');
    }
  });

  it('is deterministic per seed', () => {
    const again = mkdtempSync(join(tmpdir(), 'blind-gen-'));
    try {
      const a = incidents[0]!;
      const b = writeIncident(a.truth.seed, again);
      for (const f of ['metrics.ndjson', 'changes.ndjson', 'topology.yaml', 'truth.json']) assert.equal(readFileSync(join(a.dir, f), 'utf8'), readFileSync(join(b.dir, f), 'utf8'), f);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });
});
