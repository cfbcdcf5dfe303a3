import type { ChangeEvent } from '../domain/types';
import { badInput, type EpicenterError } from '../errors';
import type { K8sChangeTracker } from './k8s';
import type { WatchEvent } from './k8s-objects';

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** The bookmark the API server sends after the initial ADDED events of a `sendInitialEvents=true` watch. */
export function isInitialEventsEnd(ev: WatchEvent): boolean {
  return ev.type === 'BOOKMARK' && ev.object.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true';
}

/**
 * A recorded watch stream — JSON lines of WatchEvents (`{"type","object"}`, as `kubectl get -w -o json`
 * or the API's `?watch=1` writes them, several kinds mixed) — through a tracker. Events before an
 * initial-events-end bookmark are the initial list (remembered, not reported); without one, none are.
 * A bad line is reported as `file:line` and skipped.
 */
export function replayWatchStream(text: string, tracker: K8sChangeTracker, now: number, file = 'watch'): { changes: ChangeEvent[]; errors: EpicenterError[] } {
  const lines = text.split('\n');
  const hasEnd = lines.some((l) => l.includes('k8s.io/initial-events-end'));
  let initial = hasEnd;
  const changes: ChangeEvent[] = [];
  const errors: EpicenterError[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let ev: WatchEvent;
    try {
      ev = JSON.parse(line) as WatchEvent;
    } catch {
      errors.push(badInput('not JSON', { file, line: i + 1 }));
      return;
    }
    if (typeof ev !== 'object' || ev === null || !EVENT_TYPES.has(ev.type) || typeof ev.object !== 'object' || ev.object === null) {
      errors.push(badInput('not a WatchEvent ({"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, "object": {...}})', { file, line: i + 1, field: 'type' }));
      return;
    }
    if (isInitialEventsEnd(ev)) initial = false;
    changes.push(...tracker.observe(ev, now, initial));
  });
  return { changes, errors };
}
