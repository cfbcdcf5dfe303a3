import type { TestBus } from './kafka';
import { sleep } from './services';

/**
 * A paced producer for fault tests: sends `messages` at about `perSecond`, in small requests, and
 * re-sends a request until the broker acknowledges it (through broker restarts). A request that
 * failed may still have been written, so a message can land twice — harmless, because each
 * message's points are deterministic and the store is idempotent: "sent" is the set of distinct
 * points of all messages, exact.
 */
export class Streamer {
  sentMessages = 0;
  retries = 0;
  private readonly done: Promise<void>;

  constructor(
    private readonly bus: TestBus,
    private readonly topic: string,
    private readonly messages: readonly { key: string; value: string }[],
    perSecond: number,
    private readonly deadlineMs = 180_000,
  ) {
    const chunk = Math.max(1, Math.round(perSecond / 10));
    this.done = this.loop(chunk, (chunk / perSecond) * 1000);
  }

  /** Resolves when every message was acknowledged. */
  finished(): Promise<void> {
    return this.done;
  }

  private async loop(chunk: number, pauseMs: number): Promise<void> {
    const deadline = Date.now() + this.deadlineMs;
    for (let i = 0; i < this.messages.length; i += chunk) {
      const part = this.messages.slice(i, i + chunk);
      for (;;) {
        try {
          await this.bus.producer.send({ topic: this.topic, acks: -1, messages: part });
          break;
        } catch (e) {
          this.retries++;
          if (Date.now() > deadline) throw e;
          await sleep(500);
        }
      }
      this.sentMessages += part.length;
      await sleep(pauseMs);
    }
  }
}
