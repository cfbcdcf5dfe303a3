import { otlpRequest } from './otlp';

/**
 * A corpus of malformed messages, each bad in one way, each with a unique key so its dead letter
 * can be matched to it, and the pattern its reason must show. Some are partly bad: their good
 * points are stored AND the message is dead-lettered once (accounting: `goodPoints`).
 */
export interface BadMessage {
  readonly topic: 'metrics' | 'collectd' | 'changes';
  readonly key: string;
  readonly value: string | null;
  readonly reason: RegExp;
  /** Good points inside a partly bad message (stored). */
  readonly goodPoints: number;
}

const DAY = 86_400_000;
const kv = (key: string, value: string): object => ({ key, value: { stringValue: value } });

function gauge(points: readonly object[], service = 'bad-svc'): string {
  return JSON.stringify({ resourceMetrics: [{ resource: { attributes: [kv('service.name', service)] }, scopeMetrics: [{ metrics: [{ name: 'bad.metric', gauge: { dataPoints: points } }] }] }] });
}

export function badCorpus(now: number, maxMessageBytes: number): BadMessage[] {
  const t = `${now - 60_000}000000`;
  const out: BadMessage[] = [];
  const add = (topic: BadMessage['topic'], value: string | null, reason: RegExp, goodPoints = 0): void => {
    out.push({ topic, key: `bad-${out.length}`, value, reason, goodPoints });
  };
  // Not JSON, or not a request at all (a first byte that is neither JSON's nor protobuf's is refused as neither).
  for (const v of ['garbage', '{"resourceMetrics": [', '{', '"just a string"', '42', 'null', '[1,2,3]', '\u0000\u0001\u0002', '{"resourceMetrics": []}', '{}', 'true', '{"a":1}{"b":2}']) {
    add('metrics', v, /invalid JSON|no records|expected|must|resourceMetrics|object|Invalid|neither OTLP\/JSON .* nor OTLP protobuf/i);
  }
  // Wrong types.
  add('metrics', JSON.stringify({ resourceMetrics: 'nope' }), /resourceMetrics/);
  add('metrics', JSON.stringify({ resourceMetrics: [{ resource: { attributes: 'x' } }] }), /attributes/);
  add('metrics', JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 7, gauge: { dataPoints: [] } }] }] }] }), /name/);
  add('metrics', gauge([{ timeUnixNano: t, asDouble: 'abc' }]), /asDouble|value|number/i);
  add('metrics', gauge([{ timeUnixNano: { x: 1 }, asDouble: 1 }]), /timeUnixNano|time/i);
  add('metrics', gauge([{ timeUnixNano: t, asInt: '12x' }]), /asInt|int|value/i);
  add('metrics', gauge([{ timeUnixNano: t }]), /value|asDouble|asInt/i);
  add('metrics', JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', sum: { dataPoints: [{ timeUnixNano: t, asDouble: 1 }], aggregationTemporality: 'x' } }] }] }] }), /aggregationTemporality|temporality|sum/i);
  add('metrics', JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', histogram: 5 }] }] }] }), /histogram|metrics/i);
  add('metrics', gauge([{ timeUnixNano: t, asDouble: [1] }]), /asDouble|value/i);
  // NaN / Infinity / absurd values.
  for (const v of ['NaN', 'Infinity', '-Infinity']) add('metrics', gauge([{ timeUnixNano: t, asDouble: v }]), /NaN|infinite|finite|asDouble/i);
  for (const v of [1e300, -1e20, 5e15]) add('metrics', gauge([{ timeUnixNano: t, asDouble: v }]), /exceeds|1e15|value/i);
  add('metrics', gauge([{ timeUnixNano: t, asInt: '99999999999999999999' }]), /exceeds|value|int/i);
  // Timestamps far in the past / future.
  add('metrics', gauge([{ timeUnixNano: '0', asDouble: 1 }]), /2000|time/i);
  add('metrics', gauge([{ timeUnixNano: `${Date.UTC(1990, 0, 1)}000000`, asDouble: 1 }]), /2000/);
  add('metrics', gauge([{ timeUnixNano: `${now - 40 * DAY}000000`, asDouble: 1 }]), /older than the retention/);
  add('metrics', gauge([{ timeUnixNano: `${now + 3 * DAY}000000`, asDouble: 1 }]), /future/);
  add('metrics', gauge([{ timeUnixNano: `${Date.UTC(2300, 0, 1)}000000`, asDouble: 1 }]), /future/);
  add('metrics', gauge([{ timeUnixNano: '-5', asDouble: 1 }]), /time|timeUnixNano/i);
  add('metrics', gauge([{ timeUnixNano: `${now / 1000}`, asDouble: 1 }]), /2000|time/i); // seconds where ns are due
  // Partly bad: one good point kept, the message dead-lettered once.
  for (let i = 0; i < 3; i++) add('metrics', gauge([{ timeUnixNano: `${now - 120_000 - i * 1000}000000`, asDouble: 5 }, { timeUnixNano: t, asDouble: 'NaN' }], `partly-${i}`), /NaN|finite|asDouble/i, 1);
  // Empty values (tombstones and empty strings).
  add('metrics', null, /empty message/);
  add('metrics', '', /empty message/);
  // Oversized (above kafka.maxMessageBytes, below the broker's limit).
  const big = otlpRequest({ service: 'big', instance: 'i', metrics: Array.from({ length: 40 }, (_, i) => `big.m${i}`), times: Array.from({ length: 60 }, (_, i) => now - 600_000 + i * 1000), value: () => 1 });
  if (big.json.length <= maxMessageBytes) throw new Error('oversized fixture too small');
  add('metrics', big.json, /exceeds kafka.maxMessageBytes/);
  add('metrics', `${' '.repeat(maxMessageBytes)}{}`, /exceeds kafka.maxMessageBytes/);
  // collectd write_kafka JSON gone wrong.
  add('collectd', 'not json', /invalid JSON/i);
  add('collectd', JSON.stringify([{ values: [1], dstypes: ['gauge'], dsnames: ['value'], time: 'yesterday', interval: 10, host: 'h', plugin: 'p', plugin_instance: '', type: 't', type_instance: '' }]), /time/i);
  add('collectd', JSON.stringify([{ values: [1, 2], dstypes: ['gauge'], dsnames: ['value'], time: now / 1000, interval: 10, host: 'h', plugin: 'p', plugin_instance: '', type: 't', type_instance: '' }]), /values|dstypes|dsnames|length/i);
  add('collectd', JSON.stringify([{ values: [1], dstypes: ['weird'], dsnames: ['value'], time: now / 1000, interval: 10, host: 'h', plugin: 'p', plugin_instance: '', type: 't', type_instance: '' }]), /dstypes|weird/i);
  add('collectd', JSON.stringify({ not: 'an array' }), /array|expected/i);
  // Change events that are not changes.
  const ce = (o: Record<string, unknown>): string => JSON.stringify({ specversion: '1.0', id: `c-${out.length}`, source: 'ci', type: 'com.acme.change.deploy', subject: 'svc', time: new Date(now - 60_000).toISOString(), data: { team: 't', summary: 's' }, ...o });
  add('changes', ce({ type: 'com.acme.change.weather' }), /type/);
  add('changes', ce({ type: 'com.acme.alert.fired' }), /type/);
  add('changes', ce({ id: undefined }), /id/);
  add('changes', ce({ source: '' }), /source/);
  add('changes', ce({ subject: undefined }), /subject/);
  add('changes', ce({ time: 'last tuesday' }), /time/);
  add('changes', ce({ time: new Date(now + 5 * DAY).toISOString() }), /future/);
  add('changes', ce({ specversion: '0.3' }), /specversion/);
  add('changes', ce({ data: { team: 5, summary: 's' } }), /team/);
  add('changes', 'garbage', /invalid JSON/i);
  add('changes', '[{"specversion": "1.0"}]', /id|source|type/);
  add('changes', null, /empty message/);
  return out;
}
