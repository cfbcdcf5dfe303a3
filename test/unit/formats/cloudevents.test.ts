import assert from 'node:assert/strict';
import { CHANGE_TYPES } from '../../../src/domain/types';
import { isEpicenterError } from '../../../src/errors';
import { cloudEventFromKafkaHeaders, decodeCloudEvent, decodeCloudEvents } from '../../../src/formats';
import { fixture } from './helpers';

const base = { specversion: '1.0', id: 'e1', source: '/ci', type: 'com.acme.change.deploy', time: '2024-05-01T12:00:00Z', subject: 'jobs-a' };

/** The error decodeCloudEvent throws for `doc`. */
function thrown(doc: unknown) {
  try {
    decodeCloudEvent(doc, { topic: 'changes', partition: 0, offset: '7' });
  } catch (e) {
    assert.ok(isEpicenterError(e));
    assert.equal(e.code, 'BAD_INPUT');
    return e;
  }
  assert.fail('expected a BAD_INPUT error');
}

describe('formats/cloudevents', () => {
  it('decodes every change kind from NDJSON (blank lines skipped), with data fields', () => {
    const r = decodeCloudEvents(fixture('changes.ndjson'), { file: 'changes.ndjson' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values.map((c) => c.type), ['deploy', 'config', 'flag', 'scale', 'infra', 'rollback']);
    assert.deepEqual([...CHANGE_TYPES].sort(), r.values.map((c) => c.type).sort());
    const [deploy, config, flag, scale, infra, rollback] = r.values;
    assert.deepEqual(deploy, {
      id: 'd-101', source: '/ci/jobs-a', type: 'deploy', rawType: 'com.acme.change.deploy', service: 'jobs-a',
      time: Date.UTC(2024, 4, 1, 11, 50), team: 'team-a', summary: 'jobs-a 3.2.0', version: '3.2.0',
    });
    assert.deepEqual(config!.keys, ['http.pool.maxConnections', 'http.pool.idleTimeout']);
    assert.equal(config!.team, 'team-b');
    assert.equal(flag!.time, Date.UTC(2024, 4, 1, 9, 53, 0, 250), 'the zone offset is applied');
    assert.equal(scale!.rawType, 'change.scale');
    assert.equal(scale!.team, undefined);
    assert.equal(infra!.service, 'db', 'subject falls back to data.service');
    assert.equal(rollback!.revertOf, 'd-101');
  });

  it('decodes a JSON array (pretty-printed) and a single event', () => {
    const arr = decodeCloudEvents(fixture('changes-array.json'), { file: 'changes-array.json' });
    assert.deepEqual(arr.errors, []);
    assert.deepEqual(arr.values.map((c) => c.id), ['d-1', 'c-1']);
    const one = decodeCloudEvents(JSON.stringify(base, null, 2), {});
    assert.deepEqual(one.values.map((c) => c.id), ['e1']);
  });

  it('each bad event is reported naming its line and field; the good ones are kept', () => {
    const r = decodeCloudEvents(fixture('changes-bad.ndjson'), { file: 'changes-bad.ndjson' });
    assert.deepEqual(r.values.map((c) => c.id), ['ok-1', 'ok-3']);
    assert.deepEqual(r.errors.map((e) => [e.origin.line, e.origin.field]), [
      [2, 'type'],
      [3, 'time'],
      [4, 'subject'],
      [5, 'specversion'],
      [6, 'time'],
      [7, undefined], // not JSON
      [8, 'data.keys[1]'],
    ]);
    assert.match(r.errors[0]!.message, /change\.<deploy\|config\|flag\|scale\|infra\|rollback>/);
    assert.match(r.errors[1]!.message, /required/);
  });

  it('an unknown change type is BAD_INPUT naming type', () => {
    assert.equal(thrown({ ...base, type: 'com.acme.changes.deploy' }).origin.field, 'type');
    assert.equal(thrown({ ...base, type: 'com.acme.change.deployment' }).origin.field, 'type');
  });

  it('missing subject (and no data.service) or missing time is rejected naming the field; origin is kept', () => {
    const { subject: _s, ...noSubject } = base;
    const e = thrown(noSubject);
    assert.deepEqual(e.origin, { topic: 'changes', partition: 0, offset: '7', field: 'subject' });
    const { time: _t, ...noTime } = base;
    assert.equal(thrown(noTime).origin.field, 'time');
  });

  it('a time without zone, an impossible date, before 2000 or too far after Origin.now is rejected', () => {
    assert.equal(thrown({ ...base, time: '2024-05-01T12:00:00' }).origin.field, 'time');
    assert.equal(thrown({ ...base, time: '2023-02-30T12:00:00Z' }).origin.field, 'time');
    assert.equal(thrown({ ...base, time: '1970-01-01T00:00:00Z' }).origin.field, 'time');
    assert.throws(() => decodeCloudEvent({ ...base, time: '2024-05-03T12:00:00Z' }, { now: Date.UTC(2024, 4, 1) }), /future/);
  });

  it('a non-object event and a bad array element are reported with the element index', () => {
    const r = decodeCloudEvents(JSON.stringify([base, 5, { ...base, id: '' }]), { file: 'a.json' });
    assert.equal(r.values.length, 1);
    assert.deepEqual(r.errors.map((e) => e.origin.field), ['[1]', '[2].id']);
  });

  it('data that is not an object (plain text, a number) is ignored, not a reason to lose the change', () => {
    assert.equal(decodeCloudEvent({ ...base, data: 'deployed by bob' }, {}).id, 'e1');
    assert.equal(decodeCloudEvent({ ...base, data: 42 }, {}).team, undefined);
    assert.equal(thrown({ ...base, data: { team: 5 } }).origin.field, 'data.team');
  });

  it('JSON data sent as a string is parsed', () => {
    const c = decodeCloudEvent({ ...base, datacontenttype: 'application/json', data: '{"team":"t","version":"1.2"}' }, {});
    assert.equal(c.team, 't');
    assert.equal(c.version, '1.2');
  });

  it('binary mode: ce_ headers (Kafka) or ce- headers (HTTP) plus the body as data', () => {
    const c = cloudEventFromKafkaHeaders(
      { ce_specversion: '1.0', ce_id: 'k1', ce_source: '/cfg', ce_type: 'com.acme.change.config', ce_time: '2024-05-01T12:00:00Z', 'ce_subject': 'client-b', 'content-type': 'application/json' },
      { team: 'team-b', keys: ['pool.max'] },
    );
    assert.equal(c.type, 'config');
    assert.deepEqual(c.keys, ['pool.max']);
    const h = cloudEventFromKafkaHeaders({ 'Ce-Specversion': '1.0', 'Ce-Id': 'h1', 'Ce-Source': '/x', 'Ce-Type': 'change.flag', 'Ce-Time': '2024-05-01T12:00:00Z', 'Ce-Subject': 'web' }, undefined);
    assert.equal(h.service, 'web');
    assert.throws(() => cloudEventFromKafkaHeaders({ ce_id: 'x' }, undefined), /1\.0/);
  });
});
