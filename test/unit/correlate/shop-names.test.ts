import assert from 'node:assert/strict';
import { buildContext } from '../../../src/correlate';
import { victimSide } from '../../../src/correlate/features';
import { seriesClass } from '../../../src/correlate/golden';
import type { Topology } from '../../../src/domain/types';
import { decodeMetricRules } from '../../../src/formats';
import { at, MIN, series, step } from './helpers';

const RULES = decodeMetricRules('metrics:\n  - match: dep_calls_total\n    signal: traffic\n    side: client\n  - match: svc_resp_ms\n    signal: latency\n', { file: 'metrics.yaml' }).rules;

describe('correlate: a shop\'s own metric names read through its rules', () => {
  it('a call count the rules call traffic is traffic, as the conventions\' name is; other unknown names stay unclassed', () => {
    assert.equal(seriesClass('dep_calls_total', {}, RULES), 'traffic');
    assert.equal(seriesClass('http.client.request.count', {}, []), 'traffic');
    assert.equal(seriesClass('dep_calls_total', {}, []), 'other');
    assert.equal(seriesClass('svc_resp_ms', {}, RULES), 'other');
    // A name-class stands: a rule cannot turn fds into traffic.
    assert.equal(seriesClass('process.open_file_descriptor.count', {}, [{ match: 'process.open_file_descriptor.count', signal: 'traffic' }]), 'fds');
  });

  it('more calls sent to a dependency are the paged service sending more, not a dependency it waits on (sim seed 90153)', () => {
    const topo: Topology = {
      services: [
        { name: 'web', team: 'web', dependsOn: ['api'], limits: {} },
        { name: 'api', team: 'api', dependsOn: [], limits: {} },
      ],
    };
    const side = (metric: string, rules: typeof RULES) => victimSide(buildContext({
      series: [series('web', metric, { 'server.address': 'api' }, step(100, 400, at('13:21')), { noise: 2 })],
      changes: [],
      topology: topo,
      service: 'web',
      at: at('13:40'),
      windowMs: 120 * MIN,
      afterMs: 0,
      metricRules: rules,
    }));
    const named = side('http.client.request.count', []);
    const shop = side('dep_calls_total', RULES);
    // Calls sent are neither connections held to a slow dependency nor requests arriving.
    assert.equal(named.outbound, 0, JSON.stringify(named));
    assert.equal(named.traffic, 0, JSON.stringify(named));
    assert.deepEqual(shop, named);
    // Connections held to it are.
    assert.ok(side('http.client.open_connections', []).outbound > 0.5);
  });
});
