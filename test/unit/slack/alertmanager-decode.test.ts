import assert from 'node:assert/strict';
import { decodeAlertmanagerWebhook } from '../../../src/formats/alertmanager';
import { amAlert, amPayload } from './am-fixture';

describe('alertmanager webhook decoder', () => {
  it('decodes a v4 notification: times to epoch ms, Go zero endsAt to absent', () => {
    const r = decodeAlertmanagerWebhook(amPayload());
    assert.ok(r.ok);
    const a = r.webhook.alerts[0]!;
    assert.equal(a.startsAt, Date.parse('2024-05-01T12:00:00.123Z'));
    assert.equal(a.endsAt, undefined);
    assert.equal(a.fingerprint, 'c0ffee');
    assert.equal(r.webhook.groupKey, '{}:{alertname="JobsCrashing"}');
    assert.equal(r.errors.length, 0);
  });

  it('keeps good alerts and names the bad one by index and field', () => {
    const r = decodeAlertmanagerWebhook(amPayload({}, [amAlert(), amAlert({ startsAt: 'yesterday' }), amAlert({ status: 'pending' })]));
    assert.ok(r.ok);
    assert.equal(r.webhook.alerts.length, 1);
    assert.deepEqual(r.errors.map((e) => e.origin.field), ['alerts[1].startsAt', 'alerts[2].status']);
  });

  it('refuses another payload version and a body that is not an object, naming the field', () => {
    const v = decodeAlertmanagerWebhook(amPayload({ version: '3' }));
    assert.ok(!v.ok);
    assert.equal(v.error.origin.field, 'version');
    const n = decodeAlertmanagerWebhook('hello');
    assert.ok(!n.ok);
    assert.equal(n.error.code, 'BAD_INPUT');
  });

  it('reads endsAt of a resolved alert', () => {
    const r = decodeAlertmanagerWebhook(amPayload({ status: 'resolved' }, [amAlert({ status: 'resolved', endsAt: '2024-05-01T12:42:00+02:00' })]));
    assert.ok(r.ok);
    assert.equal(r.webhook.alerts[0]?.endsAt, Date.parse('2024-05-01T10:42:00Z'));
  });
});
