import type { BusBatch, BusMessage, CommitOffset, MessageKind, MessageOrigin, SourceControl } from './types';

/**
 * The in-process bus of the embedded mode: an async queue with Kafka's shape (topics, one
 * partition each, offsets, pause/resume, commits) so that the embedded demo runs the very
 * code path of `epicenter run` — only the transport differs. Delivery is asynchronous
 * (never inside publish()), in order, in batches of consecutive messages of one topic.
 */
export interface MemoryBusOptions {
  /** Most messages per delivered batch. @default 256 */
  maxBatch: number;
  /** Wall clock used to timestamp messages, epoch ms. */
  now: () => number;
}

interface Queued {
  readonly topic: string;
  readonly kind: MessageKind;
  readonly message: BusMessage;
}

export class MemoryBus implements SourceControl {
  private readonly queue: Queued[] = [];
  private head = 0;
  private readonly next = new Map<string, bigint>();
  private readonly committed = new Map<string, string>();
  private handler: ((batch: BusBatch) => void) | undefined;
  private paused = false;
  private scheduled = false;
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;
  private readonly maxBatch: number;
  private readonly now: () => number;

  constructor(opts: Partial<MemoryBusOptions> = {}) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.now = opts.now ?? Date.now;
  }

  /** Start delivering to `handler` (synchronous, like Pipeline.handle). */
  start(handler: (batch: BusBatch) => void): void {
    this.handler = handler;
    this.kick();
  }

  /** Enqueue one message; returns its offset. */
  publish(topic: string, kind: MessageKind, value: Buffer | string, origin?: MessageOrigin): string {
    const offset = this.next.get(topic) ?? 0n;
    this.next.set(topic, offset + 1n);
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const message: BusMessage = { offset: offset.toString(), key: null, value: bytes, timestamp: this.now(), ...(origin === undefined ? {} : { origin }) };
    this.queue.push({ topic, kind, message });
    this.kick();
    return message.offset;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  commit(offsets: readonly CommitOffset[]): Promise<void> {
    for (const o of offsets) this.committed.set(o.topic, o.offset);
    return Promise.resolve();
  }

  /** Next offset to read of `topic` as last committed, if any. */
  committedOffset(topic: string): string | undefined {
    return this.committed.get(topic);
  }

  /** Messages not yet delivered. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Resolves once every message published so far has been delivered; rejects if the handler threw. */
  delivered(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private kick(): void {
    if (this.scheduled || this.paused || this.handler === undefined || this.pending === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.deliverOne();
      } catch (e) {
        // A throwing handler is a bug, not bad input (that is dead-lettered): stop and report it.
        this.failure = e instanceof Error ? e : new Error(String(e));
        this.handler = undefined;
        this.wake();
        return;
      }
      this.kick();
      if (this.pending === 0) this.wake();
    });
  }

  private deliverOne(): void {
    const handler = this.handler;
    const first = this.queue[this.head];
    if (handler === undefined || first === undefined || this.paused) return;
    const messages: BusMessage[] = [];
    while (messages.length < this.maxBatch) {
      const q = this.queue[this.head];
      if (q === undefined || q.topic !== first.topic || q.kind !== first.kind) break;
      messages.push(q.message);
      this.head++;
    }
    // Compact now and then so a long-lived bus does not keep delivered messages.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    handler({ kind: first.kind, topic: first.topic, partition: 0, messages });
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) {
      if (this.failure === undefined) w.resolve();
      else w.reject(this.failure);
    }
  }
}
