import type { IHeaders, Producer } from 'kafkajs';
import type { DeadLetter, DeadLetterSink } from '../pipeline/types';
import { busError } from './client';

/**
 * Dead letters on the dead-letter topic: value = the original bytes; key = `topic/partition/offset`
 * of the source record (the dedupe key: a record replayed after a crash is dead-lettered again
 * with the same key); headers say why. Sent with acks=all and awaited before offsets are committed.
 */
export const DLQ_HEADERS = {
  reason: 'epicenter.reason',
  code: 'epicenter.code',
  topic: 'epicenter.source.topic',
  partition: 'epicenter.source.partition',
  offset: 'epicenter.source.offset',
  key: 'epicenter.source.key',
  rejected: 'epicenter.rejected',
  accepted: 'epicenter.accepted',
  at: 'epicenter.dead_lettered_at',
  truncated: 'epicenter.truncated',
} as const;

/** The dedupe key of a dead letter. */
export function deadLetterKey(d: Pick<DeadLetter, 'topic' | 'partition' | 'offset'>): string {
  return `${d.topic}/${d.partition}/${d.offset}`;
}

export function deadLetterHeaders(d: DeadLetter): IHeaders {
  const h: IHeaders = {
    [DLQ_HEADERS.reason]: d.reason.slice(0, 4096),
    [DLQ_HEADERS.code]: d.code,
    [DLQ_HEADERS.topic]: d.topic,
    [DLQ_HEADERS.partition]: String(d.partition),
    [DLQ_HEADERS.offset]: d.offset,
    [DLQ_HEADERS.rejected]: String(d.rejected),
    [DLQ_HEADERS.accepted]: String(d.accepted),
    [DLQ_HEADERS.at]: String(d.at),
  };
  if (d.key !== null) h[DLQ_HEADERS.key] = d.key;
  return h;
}

export class KafkaDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    /** Values above this are truncated if the broker refuses them as too large, bytes. */
    private readonly maxBytes: number,
  ) {}

  async publish(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const messages = letters.map((d) => ({ key: deadLetterKey(d), value: d.value, headers: deadLetterHeaders(d) }));
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages });
    } catch (e) {
      if (!isTooLarge(e)) throw busError(`publishing ${letters.length} dead letters to ${this.topic}`, e);
      // An oversized record passed the source topic but not ours (headers add bytes): keep its head and say so.
      const cut = messages.map((m) =>
        m.value.length <= this.maxBytes ? m : { ...m, value: m.value.subarray(0, this.maxBytes), headers: { ...m.headers, [DLQ_HEADERS.truncated]: String(m.value.length) } },
      );
      try {
        await this.producer.send({ topic: this.topic, acks: -1, messages: cut });
      } catch (e2) {
        throw busError(`publishing ${letters.length} truncated dead letters to ${this.topic}`, e2);
      }
    }
  }
}

function isTooLarge(e: unknown): boolean {
  const o = e as { type?: unknown; message?: unknown };
  const s = `${typeof o.type === 'string' ? o.type : ''} ${typeof o.message === 'string' ? o.message : ''}`;
  return /MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE|too large/i.test(s);
}
