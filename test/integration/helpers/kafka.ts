import { Kafka, logLevel, Partitioners, type Admin, type Message, type Producer } from 'kafkajs';
import { BROKERS, waitFor } from './services';

/** kafkajs as the tests' producer and inspector (the brief: use kafkajs itself as the producer). */
export function testKafka(): Kafka {
  return new Kafka({ clientId: 'epicenter-test', brokers: BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 } });
}

export interface TestBus {
  readonly admin: Admin;
  readonly producer: Producer;
  createTopics(topics: readonly string[], partitions: number): Promise<void>;
  /** Produce in chunks (one request per chunk), acks=all; returns the count sent. */
  produce(topic: string, messages: readonly Message[], chunk?: number): Promise<number>;
  /** Every record of `topic` (all partitions) read with a throwaway group until `count` arrived. */
  readAll(topic: string, count: number, timeoutMs?: number): Promise<{ key: string | null; value: Buffer | null; headers: Record<string, string> }[]>;
  /** Committed offsets of `groupId` summed over `topic` (−1 partitions count 0). */
  committed(groupId: string, topic: string): Promise<number>;
  cleanup(topics: readonly string[], groups?: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export async function connectTestBus(): Promise<TestBus> {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  return {
    admin,
    producer,
    async createTopics(topics, partitions) {
      await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
    },
    async produce(topic, messages, chunk = 200) {
      for (let i = 0; i < messages.length; i += chunk) {
        await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
      }
      return messages.length;
    },
    async readAll(topic, count, timeoutMs = 60_000) {
      const out: { key: string | null; value: Buffer | null; headers: Record<string, string> }[] = [];
      if (count === 0) return out;
      const c = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({
        eachMessage: ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(Array.isArray(v) ? v[0] : v);
          out.push({ key: message.key?.toString() ?? null, value: message.value, headers });
          return Promise.resolve();
        },
      });
      try {
        await waitFor(`${count} records on ${topic}`, () => Promise.resolve(out.length), (n) => n >= count, timeoutMs, 200);
      } finally {
        await c.disconnect();
      }
      return out;
    },
    async committed(groupId, topic) {
      const offs = await admin.fetchOffsets({ groupId, topics: [topic] });
      let n = 0;
      for (const p of offs[0]?.partitions ?? []) n += Math.max(0, Number(p.offset));
      return n;
    },
    async cleanup(topics, groups = []) {
      await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
      if (groups.length > 0) await admin.deleteGroups([...groups]).catch(() => undefined);
    },
    async close() {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}
