/**
 * Remembers which alert messages were posted, so Alertmanager's repeats and re-deliveries never
 * post twice. Keys are claimed BEFORE posting (two concurrent deliveries of one alert: the second
 * sees the claim) and released if the post fails (so Alertmanager's retry can post).
 *
 * In memory and bounded: the oldest keys are forgotten first. Lost on restart; an alert that
 * fires across a restart is posted once more, which we accept rather than widen the Store port.
 */
export class AlertDedupe<T> {
  private readonly entries = new Map<string, { state: 'claimed' } | { state: 'posted'; info: T }>();

  /** @param maxEntries keys kept; the oldest go first. @default 10000 */
  constructor(private readonly maxEntries = 10_000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }

  /** Reserve `key`; false when it is already posted or being posted. */
  claim(key: string): boolean {
    if (this.entries.has(key)) return false;
    this.entries.set(key, { state: 'claimed' });
    this.evict();
    return true;
  }

  /** The post for a claimed key succeeded; remember what was posted. */
  confirm(key: string, info: T): void {
    this.entries.delete(key); // re-insert: a confirmed key is the newest
    this.entries.set(key, { state: 'posted', info });
    this.evict();
  }

  /** The post failed: forget the claim so a retry may post. */
  release(key: string): void {
    const e = this.entries.get(key);
    if (e?.state === 'claimed') this.entries.delete(key);
  }

  /** What was posted under `key`, if it was. */
  posted(key: string): T | undefined {
    const e = this.entries.get(key);
    return e?.state === 'posted' ? e.info : undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) return;
      this.entries.delete(oldest.value);
    }
  }
}

/**
 * Identity of one alert occurrence: Alertmanager's fingerprint (else the group key plus the sorted
 * labels) and its start time. A new occurrence of the same alert (new startsAt) is a new key.
 */
export function alertKey(a: { fingerprint?: string; labels: Readonly<Record<string, string>>; startsAt: number }, groupKey: string): string {
  const id = a.fingerprint ?? `${groupKey}|${JSON.stringify(Object.entries(a.labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))}`;
  return `${id}@${a.startsAt}`;
}
