import type { Admin } from 'kafkajs';
import type { KafkaLog } from './client';

/**
 * Consumer lag of the metrics group, polled from the admin API every `intervalMs` (log end
 * offset − committed offset, summed per topic; a partition with no commit counts from its log
 * start). The gauge callback reads the last poll: callbacks never do I/O.
 */
export class LagMonitor {
  private readonly last = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly log: KafkaLog,
    /** Poll period, ms. @default 15000 */
    private readonly intervalMs = 15_000,
  ) {}

  start(): void {
    const tick = (): void => {
      this.running = this.poll().finally(() => {
        this.running = undefined;
      });
      this.timer = setTimeout(tick, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Last known lag per topic, messages. */
  lag(): ReadonlyMap<string, number> {
    return this.last;
  }

  /** Total over topics, or -1 before the first successful poll. */
  total(): number {
    if (this.last.size === 0) return -1;
    let n = 0;
    for (const v of this.last.values()) n += v;
    return n;
  }

  async poll(): Promise<void> {
    try {
      const committed = await this.admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] });
      for (const topic of this.topics) {
        const ends = await this.admin.fetchTopicOffsets(topic);
        const mine = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
        let lag = 0n;
        for (const e of ends) {
          const c = mine.get(e.partition) ?? -1n;
          const from = c < 0n ? BigInt(e.low) : c;
          if (BigInt(e.high) > from) lag += BigInt(e.high) - from;
        }
        this.last.set(topic, Number(lag));
      }
    } catch (e) {
      this.log.debug({ err: e }, 'kafka: lag poll failed');
    }
  }
}
