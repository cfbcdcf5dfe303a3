import type { Producer } from 'kafkajs';
import type { ChangeEvent } from '../domain/types';
import type { ChangeSink } from '../ports';
import { changeToCloudEvent } from '../pipeline/cloudevent';
import { busError } from './client';

/**
 * Changes accepted by the HTTP API go to the changes topic as structured CloudEvents (keyed by
 * the changed service, so one service's changes stay in order); every instance then stores them.
 */
export class KafkaChangeSink implements ChangeSink {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async publishChanges(changes: readonly ChangeEvent[]): Promise<void> {
    if (changes.length === 0) return;
    const messages = changes.map((c) => ({
      key: c.service,
      value: JSON.stringify(changeToCloudEvent(c)),
      headers: { 'content-type': 'application/cloudevents+json' },
    }));
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages });
    } catch (e) {
      throw busError(`publishing ${changes.length} changes to ${this.topic}`, e);
    }
  }
}
