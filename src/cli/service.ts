import type { AnalysisRequest } from '../app/analyze';
import type { ChangeEvent, Topology } from '../domain/types';
import { EpicenterError } from '../errors';
import { serviceKnown } from '../http/services';
import type { SeriesData, Store } from '../ports';

/** Levenshtein distance (insert, delete, substitute), two rows. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to `n` known names closest to `name`, nearest first, within a third of its length (at least 2 edits). */
export function closestNames(name: string, known: Iterable<string>, n = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return [...new Set(known)]
    .map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, n)
    .map((x) => x.k);
}

/**
 * Refuses an empty `--service`, and one that none of the inputs knows (a typo would otherwise be
 * analysed as a service with no data), naming the closest known names; the HTTP API 404s likewise.
 */
export function checkService(service: string, known: Iterable<string>, where: string): void {
  if (service.trim() === '') throw new EpicenterError('BAD_REQUEST', 'is empty: name the service in trouble', { origin: { field: '--service' } });
  const names = new Set(known);
  if (names.has(service)) return;
  const near = closestNames(service, names);
  const hint =
    near.length > 0 ? `did you mean ${near.join(', ')}?` : names.size === 0 ? 'they name no service at all' : `known: ${[...names].sort().slice(0, 8).join(', ')}${names.size > 8 ? ', …' : ''}`;
  throw new EpicenterError('NOT_FOUND', `'${service}' is not a service in ${where}; ${hint}`, { origin: { field: '--service' } });
}

/** Every service the inputs name: the topology's, the series' owners and the changed services. */
export function servicesIn(topology: Topology, series: readonly SeriesData[], changes: readonly ChangeEvent[]): Set<string> {
  const names = new Set(topology.services.map((s) => s.name));
  for (const s of series) names.add(s.series.service);
  for (const c of changes) names.add(c.service);
  return names;
}

/** checkService against a store (ClickHouse): known as the HTTP API knows it, suggestions from the topology and the changes around. */
export async function checkServiceInStore(store: Store, topology: Topology, req: AnalysisRequest): Promise<void> {
  const from = req.at - req.windowMs;
  const to = req.at + req.afterMs;
  if (req.service.trim() !== '' && (await serviceKnown(store, topology, req.service, from, to))) return;
  checkService(req.service, servicesIn(topology, [], await store.queryChanges({ from, to })), 'the topology or the store around --at');
}
