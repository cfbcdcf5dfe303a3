import type { Admin } from 'kafkajs';
import { busError } from './client';

/**
 * Create `topic` if it does not exist (the dead-letter topic at start-up; metric topics are the
 * operator's to size). kafkajs sends CreateTopics v3, where "broker default" partitions (-1) is
 * not accepted, so the count is explicit.
 */
export async function ensureTopic(admin: Admin, topic: string, numPartitions = 1): Promise<boolean> {
  try {
    const existing = await admin.listTopics();
    if (existing.includes(topic)) return false;
    return await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } catch (e) {
    if (/TOPIC_ALREADY_EXISTS|already exists/i.test(e instanceof Error ? e.message : String(e))) return false;
    throw busError(`creating topic ${topic}`, e);
  }
}
