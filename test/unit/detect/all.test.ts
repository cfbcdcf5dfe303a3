import assert from 'node:assert/strict';
import { detectAll, exhaustionTime, groupSamples } from '../../../src/detect';
import { makeSeries } from '../../../src/domain/series';
import type { Sample, Topology } from '../../../src/domain/types';
import { rng, series, T0 } from './gen';

const FDS = 'process.open_file_descriptor.count';
const topology: Topology = { services: [{ name: 'a', team: 'team-a', dependsOn: [], limits: { [FDS]: 1024 } }] };

describe('detect: detectAll, exhaustionTime, groupSamples', () => {
  it('exhaustionTime projects a rising line to a ceiling, and only then', () => {
    assert.equal(exhaustionTime(0, 900, 62, 1024), 7_200_000);
    assert.equal(exhaustionTime(5, 1024, 0, 1024), 5); // already there
    assert.equal(exhaustionTime(0, 500, 0, 1024), undefined);
    assert.equal(exhaustionTime(0, 500, -3, 1024), undefined);
    assert.equal(exhaustionTime(0, NaN, 3, 1024), undefined);
  });

  it('attaches the series and, where the topology has a limit, the projected exhaustion', () => {
    const r = rng(2);
    // fds climb by 120 per hour from sample 300 (10 s sampling) towards the 1024 limit
    const leak = series(600, 10_000, (i) => 200 + 3 * r.normal() + (i >= 300 ? (120 / 360) * (i - 300) : 0));
    const flat = series(600, 10_000, (i) => 50 + r.normal() + (i >= 300 ? 10 : 0));
    const a = makeSeries(FDS, { 'service.name': 'a' });
    const b = makeSeries(FDS, { 'service.name': 'b' });
    const out = detectAll([{ series: a, points: leak }, { series: b, points: flat }], {}, topology);
    const ba = out.filter((x) => x.series.id === a.id);
    const bb = out.filter((x) => x.series.id === b.id);
    assert.equal(ba.length, 1);
    assert.equal(ba[0]!.limit, 1024);
    const expected = ba[0]!.time + ((1024 - ba[0]!.after.level) / ba[0]!.after.slope) * 3_600_000;
    assert.ok(ba[0]!.exhaustionAt !== undefined && Math.abs(ba[0]!.exhaustionAt - expected) < 1);
    // about (1024 − 200) / 120 h ≈ 6.9 h after the onset
    const hours = (ba[0]!.exhaustionAt - (T0 + 300 * 10_000)) / 3_600_000;
    assert.ok(hours > 5 && hours < 9.5, `${hours} h`);
    assert.equal(bb.length, 1);
    assert.equal(bb[0]!.limit, undefined); // service b has no limits
    assert.equal(bb[0]!.exhaustionAt, undefined);
  });

  it('groups samples per series, sorted by time', () => {
    const s1 = makeSeries('m', { 'service.name': 'x' });
    const s2 = makeSeries('m', { 'service.name': 'y' });
    const samples: Sample[] = [
      { series: s1, t: 3, v: 3 },
      { series: s2, t: 1, v: 10 },
      { series: s1, t: 1, v: 1 },
    ];
    const g = groupSamples(samples);
    assert.equal(g.length, 2);
    assert.deepEqual(g.find((x) => x.series.id === s1.id)!.points, [{ t: 1, v: 1 }, { t: 3, v: 3 }]);
  });
});
