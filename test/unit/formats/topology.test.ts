import assert from 'node:assert/strict';
import { decodeTopology } from '../../../src/formats';
import { fixture } from './helpers';

describe('formats/topology', () => {
  it('decodes services, teams, dependencies and limits', () => {
    const { topology, errors } = decodeTopology(fixture('topology.yaml'), { file: 'topology.yaml' });
    assert.deepEqual(errors, []);
    assert.deepEqual(topology.services, [
      { name: 'jobs-a', team: 'team-a', dependsOn: ['db'], limits: { 'process.open_file_descriptors': 1024 } },
      { name: 'client-b', team: 'team-b', dependsOn: ['jobs-a', 'db'], limits: {} },
      { name: 'db', team: 'platform', dependsOn: [], limits: {} },
    ]);
  });

  it('reports unknown/self dependencies, bad limits, duplicates and missing name/team with line and field', () => {
    const { topology, errors } = decodeTopology(fixture('topology-bad.yaml'), { file: 'topology-bad.yaml' });
    assert.deepEqual(topology.services, [
      { name: 'jobs-a', team: 'team-a', dependsOn: ['db'], limits: { 'process.open_file_descriptors': 1024 } },
      { name: 'db', team: 'platform', dependsOn: [], limits: {} },
    ]);
    assert.deepEqual(errors.map((e) => [e.origin.line, e.origin.field]), [
      [4, 'services[0].dependsOn[1]'],
      [4, 'services[0].dependsOn[2]'],
      [7, 'services[0].limits["process.thread.count"]'],
      [8, 'services[0].limits.memory'],
      [9, 'services[1].name'],
      [11, 'services[2].team'],
      [12, 'services[3].name'],
    ]);
    assert.match(errors[0]!.describe(), /^topology-bad\.yaml:4: services\[0\]\.dependsOn\[1\]: unknown service "ghost"; edge dropped$/);
    assert.match(errors[4]!.message, /duplicate/);
  });

  it('an edge to a service that was skipped for its own error says so', () => {
    const text = 'services:\n  - name: a\n    team: t\n    dependsOn: [b]\n  - name: b\n';
    const { topology, errors } = decodeTopology(text, {});
    assert.deepEqual(topology.services.map((s) => s.dependsOn), [[]]);
    assert.match(errors.find((e) => e.origin.field === 'services[0].dependsOn[0]')!.message, /skipped/);
  });

  it('invalid YAML and a missing services list are reported', () => {
    const bad = decodeTopology('services:\n  - name: [unclosed\n', { file: 't.yaml' });
    assert.equal(bad.topology.services.length, 0);
    assert.equal(bad.errors[0]!.code, 'BAD_INPUT');
    assert.ok((bad.errors[0]!.origin.line ?? 0) >= 2);
    const none = decodeTopology('servics: []\n', { file: 't.yaml' });
    assert.equal(none.errors[0]!.origin.field, 'services');
    assert.deepEqual(decodeTopology('', {}).errors.map((e) => e.origin.field), ['services']);
  });
});
