import type { CommitOffset } from './types';

/**
 * Offsets processed but not yet committed, per topic-partition. The pipeline snapshots the
 * ledger in the same synchronous step as it starts a writer flush, so a snapshot never names
 * a message whose rows are not part of that flush; after the flush (and the dead-letter
 * publish) succeed, exactly the snapshot is committed.
 */
export class OffsetLedger {
  private readonly pending = new Map<string, CommitOffset>();

  /** Note that `offset` (the last message handled) of topic/partition has its rows in the writer. */
  note(topic: string, partition: number, offset: string): void {
    const next = (BigInt(offset) + 1n).toString();
    const key = `${topic}\u0000${partition}`;
    const prev = this.pending.get(key);
    // Never move backwards: a replayed batch after a seek must not lower what is committed.
    if (prev !== undefined && BigInt(prev.offset) >= BigInt(next)) return;
    this.pending.set(key, { topic, partition, offset: next });
  }

  /** What a flush started now would make durable. */
  snapshot(): CommitOffset[] {
    return [...this.pending.values()];
  }

  /** Forget the entries of `committed` that have not moved since (newer ones stay for the next commit). */
  settle(committed: readonly CommitOffset[]): void {
    for (const c of committed) {
      const key = `${c.topic}\u0000${c.partition}`;
      if (this.pending.get(key)?.offset === c.offset) this.pending.delete(key);
    }
  }

  /** Drop entries of partitions this instance no longer owns (after a rebalance): their new owner re-reads them. */
  retain(owned: (topic: string, partition: number) => boolean): void {
    for (const [key, c] of this.pending) if (!owned(c.topic, c.partition)) this.pending.delete(key);
  }

  get size(): number {
    return this.pending.size;
  }
}
