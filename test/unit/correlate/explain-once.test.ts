import assert from 'node:assert/strict';
import { analyze } from '../../../src/correlate';
import type { Topology } from '../../../src/domain/types';
import { at, change, MIN, series, step } from './helpers';

describe('correlate: each piece of evidence is said once', () => {
  it('the victim’s calls to the changed service, both the onset and the link, appear in one line (Nezha: frontend → currencyservice)', () => {
    const topo: Topology = {
      services: [
        { name: 'web', team: 'web', dependsOn: ['currency'], limits: {} },
        { name: 'currency', team: 'currency', dependsOn: [], limits: {} },
      ],
    };
    const a = analyze({
      series: [
        series('web', 'http.client.request.duration', { 'server.address': 'currency' }, step(0.01, 0.75, at('13:21')), { noise: 0.001, int: false }),
        series('currency', 'k8s.pod.cpu_limit_utilization', {}, () => 0.2, { noise: 0.01, int: false }),
      ],
      changes: [change('cur-infra', 'currency', 'infra', at('13:20'))],
      topology: topo,
      service: 'web',
      at: at('14:00'),
      windowMs: 120 * MIN,
      afterMs: 0,
    });
    const top = a.suspects[0];
    assert.equal(top?.id, 'cur-infra');
    const lines = top?.evidence ?? [];
    assert.ok(lines.some((l) => l.includes('to currency from web')), lines.join('\n'));
    assert.equal(new Set(lines).size, lines.length, lines.join('\n'));
  });
});

describe('correlate: the "evidence missing" line names each place once', () => {
  it("for the paged service's own change it does not name the service twice (was: 'on web or on web')", () => {
    const topo: Topology = { services: [{ name: 'web', team: 'web', dependsOn: [], limits: {} }] };
    const a = analyze({
      series: [series('web', 'http.server.request.duration', {}, () => 0.2, { noise: 0.001, int: false })],
      changes: [change('web-deploy', 'web', 'deploy', at('13:50'))],
      topology: topo,
      service: 'web',
      at: at('14:00'),
      windowMs: 120 * MIN,
      afterMs: 0,
    });
    const lines = a.suspects[0]?.evidence ?? [];
    assert.ok(lines.includes('evidence missing: no breakpoint and no burst on web follows this change'), lines.join('\n'));
  });
});

describe('correlate: a change whose trouble came only hours later is not "evidence missing"', () => {
  it('says nothing moved within minutes and when the trouble came, beside the line quoting it', () => {
    const topo: Topology = { services: [{ name: 'web', team: 'web', dependsOn: [], limits: {} }] };
    const a = analyze({
      series: [series('web', 'http.server.request.duration', {}, step(0.2, 0.6, at('13:30')), { noise: 0.002, int: false })],
      changes: [change('web-deploy', 'web', 'deploy', at('12:00'))],
      topology: topo,
      service: 'web',
      at: at('14:00'),
      windowMs: 180 * MIN,
      afterMs: 0,
    });
    const lines = a.suspects[0]?.evidence ?? [];
    assert.ok(!lines.some((l) => l.startsWith('evidence missing')), lines.join('\n'));
    assert.ok(lines.includes('nothing moved on web within minutes of this change: the trouble came 1 h 30 min after it'), lines.join('\n'));
  });
});

describe('correlate: a rival change of the first suspect\'s service is named beside it', () => {
  const topo: Topology = {
    services: [
      { name: 'web', team: 'web', dependsOn: ['api'], limits: {} },
      { name: 'api', team: 'api', dependsOn: [], limits: {} },
    ],
  };
  const ask = (changes: ReturnType<typeof change>[]) => analyze({
    series: [
      series('web', 'http.client.open_connections', { 'server.address': 'api' }, step(30, 900, at('13:21')), { noise: 1 }),
      series('api', 'process.open_file_descriptor.count', {}, step(400, 1000, at('13:22')), { noise: 5 }),
    ],
    changes,
    topology: topo,
    service: 'api',
    at: at('14:00'),
    windowMs: 120 * MIN,
    afterMs: 0,
  });

  it('a pool setting changed minutes before the flag that got the blame: the first suspect says to check it too (sim seed 90276)', () => {
    const a = ask([
      change('web-config', 'web', 'config', at('13:14'), { summary: 'web: set http.client.pool.min_idle 14 → 395' }),
      change('web-flag', 'web', 'flag', at('13:20')),
    ]);
    const lines = a.suspects[0]?.evidence ?? [];
    const other = a.suspects[0]?.id === 'web-flag' ? 'web-config' : 'web-flag';
    assert.ok(lines.some((l) => l.startsWith('web also changed at ') && l.includes(other) && l.includes('check it too')), lines.join('\n'));
  });

  it('says nothing of the kind with one change of that service', () => {
    const a = ask([change('web-flag', 'web', 'flag', at('13:20'))]);
    assert.ok(!(a.suspects[0]?.evidence ?? []).some((l) => l.includes('also changed at')));
  });
});
