import assert from 'node:assert/strict';
import type { Producer } from 'kafkajs';
import { DLQ_HEADERS, deadLetterHeaders, deadLetterKey, KafkaDeadLetterSink } from '../../../src/kafka/dead-letters';
import { isRetriableKafkaError } from '../../../src/kafka/client';
import { isTransient } from '../../../src/kafka/source';
import { isEpicenterError } from '../../../src/errors';
import type { DeadLetter } from '../../../src/pipeline/types';

const letter: DeadLetter = {
  topic: 'otlp_metrics',
  partition: 2,
  offset: '9007199254740993',
  key: Buffer.from('svc/i-1'),
  value: Buffer.from('garbage'),
  reason: 'otlp_metrics[2]@9007199254740993: invalid JSON',
  code: 'BAD_INPUT',
  rejected: 1,
  accepted: 0,
  origin: { topic: 'otlp_metrics', partition: 2, offset: '9007199254740993' },
  at: 1_700_000_000_000,
  time: 1_699_999_999_000,
};

/** A Producer double recording sends; fails the first `failures` sends with `error`. */
function producer(failures: number, error: Error): { p: Producer; sent: { topic: string; messages: { value: Buffer; headers?: Record<string, unknown> }[] }[] } {
  const sent: { topic: string; messages: { value: Buffer; headers?: Record<string, unknown> }[] }[] = [];
  let n = 0;
  const p = {
    send: (r: { topic: string; messages: { value: Buffer; headers?: Record<string, unknown> }[] }) => {
      if (n++ < failures) return Promise.reject(error);
      sent.push(r);
      return Promise.resolve([]);
    },
  } as unknown as Producer;
  return { p, sent };
}

describe('kafka dead letters', () => {
  it('keys a dead letter by its source topic/partition/offset (the dedupe key), exact beyond 2^53', () => {
    assert.equal(deadLetterKey(letter), 'otlp_metrics/2/9007199254740993');
  });

  it('says why and where in headers, and keeps the original key', () => {
    const h = deadLetterHeaders(letter);
    assert.equal(h[DLQ_HEADERS.reason], letter.reason);
    assert.equal(h[DLQ_HEADERS.code], 'BAD_INPUT');
    assert.equal(h[DLQ_HEADERS.partition], '2');
    assert.equal(h[DLQ_HEADERS.offset], '9007199254740993');
    assert.deepEqual(h[DLQ_HEADERS.key], Buffer.from('svc/i-1'));
  });

  it('turns a broker failure into a retriable BUS_UNAVAILABLE (the pipeline retries, does not commit)', async () => {
    const { p } = producer(1, Object.assign(new Error('Connection error'), { retriable: true }));
    await assert.rejects(new KafkaDeadLetterSink(p, 'dlq', 1024).publish([letter]), (e: unknown) => isEpicenterError(e) && e.code === 'BUS_UNAVAILABLE' && e.retriable);
  });

  it('truncates a value the broker refuses as too large and says so', async () => {
    const big = { ...letter, value: Buffer.alloc(5000, 'x') };
    const { p, sent } = producer(1, Object.assign(new Error('The request included a message larger than the max message size'), { type: 'MESSAGE_TOO_LARGE' }));
    await new KafkaDeadLetterSink(p, 'dlq', 1024).publish([big]);
    assert.equal(sent[0]?.messages[0]?.value.length, 1024);
    assert.equal(sent[0]?.messages[0]?.headers?.[DLQ_HEADERS.truncated], '5000');
  });
});

describe('kafka restart policy', () => {
  it('restarts after retriable kafkajs errors, directly or as a cause', () => {
    assert.equal(isRetriableKafkaError(Object.assign(new Error('x'), { retriable: true })), true);
    assert.equal(isRetriableKafkaError(Object.assign(new Error('x'), { name: 'KafkaJSNumberOfRetriesExceeded' })), true);
    assert.equal(isRetriableKafkaError(Object.assign(new Error('outer'), { cause: Object.assign(new Error('inner'), { retriable: true }) })), true);
  });

  it('regression (broker restart killed the service): GroupCoordinatorNotFound is transient though kafkajs marks it non-retriable', () => {
    const e = Object.assign(new Error('Failed to find group coordinator'), { name: 'KafkaJSGroupCoordinatorNotFound', retriable: false });
    assert.equal(isRetriableKafkaError(e), false, 'kafkajs will not restart it');
    assert.equal(isTransient(e), true, 'so the source restarts it itself');
    const wrapped = Object.assign(new Error('Failed to find group coordinator', { cause: e }), { name: 'KafkaJSNonRetriableError', retriable: false });
    assert.equal(isTransient(wrapped), true, 'also as the cause of the crash error kafkajs emits');
    assert.equal(isTransient(new TypeError('bug')), false);
  });

  it('does not restart after non-retriable errors', () => {
    assert.equal(isRetriableKafkaError(Object.assign(new Error('bad config'), { retriable: false })), false);
    assert.equal(isRetriableKafkaError(new TypeError('bug')), false);
  });
});
