import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import type { SeriesData } from '../../../src/ports';
import { selectKeySeries } from '../../../src/timeline/select';

const MIN = 60_000;
const AT = Date.UTC(2026, 2, 12, 14, 0);
const ramp = (f: (m: number) => number): { t: number; v: number }[] => Array.from({ length: 60 }, (_, i) => ({ t: AT - (59 - i) * MIN, v: f(i - 59) }));
const of = (metric: string, labels: Record<string, string>, f: (m: number) => number): SeriesData => ({ series: makeSeries(metric, { 'service.name': 'web', ...labels }, 'web'), points: ramp(f) });

describe('timeline/selectKeySeries with nothing broken on the victim', () => {
  // A Nezha page: no breakpoint, no declared limit; the first series listed were CPU figures, flat.
  const series = [
    of('container.cpu.usage', {}, (m) => 0.2 + 0.001 * Math.sin(m)),
    of('k8s.pod.cpu_limit_utilization', {}, (m) => 0.3 + 0.001 * Math.cos(m)),
    of('http.client.request.duration', { 'server.address': 'search' }, (m) => (m > -4 ? 0.5 : 0.01 + 0.0005 * Math.sin(m))),
    of('http.server.request.duration', {}, (m) => (m > -4 ? 2 : 0.3 + 0.01 * Math.sin(m))),
  ];

  it("draws the victim's own golden signals that moved before the page, not its first series", () => {
    const keys = selectKeySeries({ victim: 'web', at: AT, breakpoints: [], series }).map((k) => k.metric);
    assert.deepEqual(keys, ['http.server.request.duration', 'http.client.request.duration']);
  });

  it('without the time asked about, keeps the order given (as before)', () => {
    const keys = selectKeySeries({ victim: 'web', breakpoints: [], series }).map((k) => k.metric);
    assert.deepEqual(keys, ['container.cpu.usage', 'k8s.pod.cpu_limit_utilization']);
  });
});
