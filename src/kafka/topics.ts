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

/** The metric topics `run` consumes, as found on the broker. */
export interface MetricTopics {
  /** Configured topics (by config key) that exist. */
  readonly present: readonly string[];
  /** Config keys whose topic does not exist, with the topic. */
  readonly missing: readonly { readonly key: string; readonly topic: string }[];
}

/**
 * Which of the configured metric topics exist. Subscribing to one that does not makes kafkajs
 * throw "This server does not host this topic-partition" from deep inside a retry loop; and they are
 * the operator's to create and size (the Collectors write to them), so `run` checks first and says
 * which config key names a topic the broker lacks.
 */
export async function metricTopics(admin: Admin, byKey: Readonly<Record<string, string>>): Promise<MetricTopics> {
  let existing: string[];
  try {
    existing = await admin.listTopics();
  } catch (e) {
    throw busError('listing topics', e);
  }
  const present: string[] = [];
  const missing: { key: string; topic: string }[] = [];
  for (const [key, topic] of Object.entries(byKey)) {
    if (existing.includes(topic)) present.push(topic);
    else missing.push({ key, topic });
  }
  return { present: [...new Set(present)], missing };
}
